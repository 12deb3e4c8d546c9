package org.fedlink.supernode;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.fedlink.core.store.SqliteDatabase;

/** The node's SQLite database ({@code <home>/node.sqlite}), migrated from {@code db/supernode}. */
public final class NodeDatabase {
  private static final String MIGRATIONS = "classpath:db/supernode";

  private NodeDatabase() {}

  /** Opens or creates the node database of {@code home}. */
  public static SqliteDatabase open(Path home) {
    return openFile(home.resolve("node.sqlite"));
  }

  /**
   * Opens or creates the node database {@code file} (the {@code [default] db} of a configuration),
   * applying pending migrations.
   *
   * @throws org.fedlink.core.FedlinkException if it cannot be opened or was written by a newer
   *     Fedlink
   */
  public static SqliteDatabase openFile(Path file) {
    return SqliteDatabase.open(file, MIGRATIONS);
  }

  /** Where the node keeps received training-plan JARs: {@code <db file stem>-plans} beside it. */
  public static Path planCache(Path databaseFile) {
    String name = databaseFile.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return databaseFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-plans");
  }

  /**
   * The node's random identity token, created on first use. Without key authentication it is what
   * makes a restarted node rejoin with its old node id.
   */
  public static byte[] identityToken(SqliteDatabase db) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT value FROM node_property WHERE name = 'identity'")) {
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) {
                return rs.getBytes(1);
              }
            }
          }
          byte[] token = new byte[32];
          new SecureRandom().nextBytes(token);
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO node_property (name, value) VALUES ('identity', ?)")) {
            s.setBytes(1, token);
            s.executeUpdate();
          }
          return token;
        });
  }
}
