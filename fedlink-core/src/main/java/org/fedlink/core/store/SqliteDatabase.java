package org.fedlink.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;

/**
 * A SQLite file whose schema is managed by Flyway migrations: opening an old file upgrades it, a
 * file written by a newer Fedlink is refused rather than misread.
 *
 * <p>One connection, serialized by {@link #transaction}: SQLite allows one writer at a time anyway,
 * and our write rate is a few per task. WAL journal with {@code synchronous=NORMAL} survives a
 * killed process (not a power cut of the last transactions).
 */
public final class SqliteDatabase implements AutoCloseable {
  /** Free space below which a failed transaction is reported as a full disk. */
  private static final long LOW_SPACE_BYTES = 1024 * 1024;

  private final Path file;
  private final Connection connection;

  private SqliteDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the database file and applies the migrations found at {@code
   * migrationsLocation} (a Flyway location such as {@code classpath:db/superlink}).
   *
   * @throws FedlinkException if the file cannot be opened or migrated
   */
  public static SqliteDatabase open(Path file, String migrationsLocation) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "cannot create directory for database " + file + ": " + e, e);
    }
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    try {
      Flyway.configure(SqliteDatabase.class.getClassLoader())
          .dataSource(url, null, null)
          .locations(migrationsLocation)
          .validateMigrationNaming(true)
          // Flyway ignores applied migrations newer than the code by default ("*:future").
          .ignoreMigrationPatterns(new String[0])
          .load()
          .migrate();
    } catch (FlywayException e) {
      String corrupt = integrityProblem(url);
      if (corrupt != null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "database "
                + file
                + " is corrupt ("
                + corrupt
                + "); restore it from a backup, or move it away to start with an empty one",
            e);
      }
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "database "
              + file
              + " cannot be opened with this version of Fedlink: "
              + firstLine(e.getMessage()),
          e);
    }
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      config.enforceForeignKeys(true);
      config.setBusyTimeout(10_000);
      Connection c = DriverManager.getConnection(url, config.toProperties());
      return new SqliteDatabase(file, c);
    } catch (SQLException e) {
      throw new FedlinkException(ErrorCode.CONFIGURATION, "cannot open database " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction, committing on success and rolling back on any exception.
   * Calls are serialized.
   */
  public synchronized <T> T transaction(Work<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          // SQLite rolls back by itself after some errors (SQLITE_FULL): keep the first error.
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      // On a full disk SQLite may roll the transaction back by itself and report only that the
      // commit found no transaction: the free space tells what happened.
      if (DiskSpace.isDiskFull(e) || DiskSpace.usableBytes(file) < LOW_SPACE_BYTES) {
        throw new FedlinkException(
            ErrorCode.INTERNAL,
            "database or disk is full: database "
                + file
                + ", "
                + DiskSpace.describe(file)
                + " ("
                + e.getMessage()
                + ")",
            e);
      }
      throw new FedlinkException(ErrorCode.INTERNAL, "database " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs a statement outside any transaction (pragmas, maintenance). */
  public synchronized void execute(String sql) {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "database " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing is best effort; the WAL is checkpointed on the next open.
    }
  }

  /**
   * What {@code PRAGMA integrity_check} says is wrong with the database at {@code url} (its first
   * lines), or null if it is sound.
   */
  private static String integrityProblem(String url) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("PRAGMA integrity_check(5)")) {
      java.util.List<String> lines = new java.util.ArrayList<>();
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
      return lines.equals(java.util.List.of("ok"))
          ? null
          : "PRAGMA integrity_check: " + String.join("; ", lines);
    } catch (SQLException e) {
      return "PRAGMA integrity_check: " + firstLine(e.getMessage());
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
