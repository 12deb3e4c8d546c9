package org.fedlink.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
  private static final String V1 = "classpath:db/storetest/v1";
  private static final String V2 = "classpath:db/storetest/v2";

  @TempDir Path dir;

  private static void insert(SqliteDatabase db, String name, int count) {
    db.transaction(c -> insert(c, name, count));
  }

  private static int insert(Connection c, String name, int count) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO item (name, count) VALUES (?, ?)")) {
      s.setString(1, name);
      s.setInt(2, count);
      return s.executeUpdate();
    }
  }

  private static List<String> names(SqliteDatabase db) {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement("SELECT name FROM item ORDER BY name");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  private static List<String> appliedVersions(SqliteDatabase db) {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT version FROM flyway_schema_history WHERE success = 1"
                          + " ORDER BY installed_rank");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  private static List<String> columns(SqliteDatabase db, String table) {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement("PRAGMA table_info(" + table + ")");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString("name"));
            }
          }
          return out;
        });
  }

  @Test
  void createsFileAndParentFoldersAndAppliesMigrations() {
    Path file = dir.resolve("a/b/state.sqlite");

    try (SqliteDatabase db = SqliteDatabase.open(file, V1)) {
      assertThat(db.file()).isEqualTo(file);
      assertThat(Files.isRegularFile(file)).isTrue();
      assertThat(appliedVersions(db)).containsExactly("1");
      assertThat(columns(db, "item")).containsExactly("name", "count");
    }
  }

  @Test
  void keepsDataAcrossReopen() {
    Path file = dir.resolve("state.sqlite");
    try (SqliteDatabase db = SqliteDatabase.open(file, V1)) {
      insert(db, "alpha", 1);
    }

    try (SqliteDatabase db = SqliteDatabase.open(file, V1)) {
      assertThat(names(db)).containsExactly("alpha");
      assertThat(appliedVersions(db)).containsExactly("1");
    }
  }

  @Test
  void upgradesAnOlderFileKeepingItsData() {
    Path file = dir.resolve("state.sqlite");
    try (SqliteDatabase db = SqliteDatabase.open(file, V1)) {
      insert(db, "alpha", 1);
    }

    try (SqliteDatabase db = SqliteDatabase.open(file, V2)) {
      assertThat(appliedVersions(db)).containsExactly("1", "2");
      assertThat(columns(db, "item")).containsExactly("name", "count", "note");
      assertThat(names(db)).containsExactly("alpha");
    }
  }

  @Test
  void refusesAFileWrittenByANewerSchema() {
    Path file = dir.resolve("state.sqlite");
    SqliteDatabase.open(file, V2).close();

    assertThatThrownBy(() -> SqliteDatabase.open(file, V1).close())
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cannot be opened with this version of Fedlink");
  }

  @Test
  void namesACorruptFileAsCorruptWithTheIntegrityCheck() throws Exception {
    Path file = dir.resolve("state.sqlite");
    byte[] noise = new byte[8192];
    new java.util.Random(7).nextBytes(noise);
    java.nio.file.Files.write(file, noise);

    assertThatThrownBy(() -> SqliteDatabase.open(file, V1).close())
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
        .hasMessageContaining("database " + file + " is corrupt (PRAGMA integrity_check: ")
        .hasMessageContaining("restore it from a backup")
        .hasMessageNotContaining("version of Fedlink");
  }

  @Test
  void commitsAndReturnsTheResult() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("s.sqlite"), V1)) {
      int changed = db.transaction(c -> insert(c, "a", 1) + insert(c, "b", 2));

      assertThat(changed).isEqualTo(2);
      assertThat(names(db)).containsExactly("a", "b");
    }
  }

  @Test
  void rollsBackOnRuntimeExceptionAndRethrowsIt() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("s.sqlite"), V1)) {
      IllegalStateException boom = new IllegalStateException("boom");

      assertThatThrownBy(
              () ->
                  db.transaction(
                      c -> {
                        insert(c, "a", 1);
                        throw boom;
                      }))
          .isSameAs(boom);

      assertThat(names(db)).isEmpty();
      insert(db, "b", 2);
      assertThat(names(db)).containsExactly("b");
    }
  }

  @Test
  void rollsBackOnSqlExceptionAndReportsInternal() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("s.sqlite"), V1)) {
      insert(db, "a", 1);

      assertThatThrownBy(
              () ->
                  db.transaction(
                      c -> {
                        insert(c, "b", 2);
                        return insert(c, "a", 3); // primary key violation
                      }))
          .isInstanceOfSatisfying(
              FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
          .hasCauseInstanceOf(SQLException.class);

      assertThat(names(db)).containsExactly("a");
    }
  }

  @Test
  void executeRunsStatementsAndReportsFailures() {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("s.sqlite"), V1)) {
      db.execute("INSERT INTO item (name, count) VALUES ('x', 1)");

      assertThat(names(db)).containsExactly("x");
      assertThatThrownBy(() -> db.execute("SELECT * FROM no_such_table"))
          .isInstanceOfSatisfying(
              FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    }
  }
}
