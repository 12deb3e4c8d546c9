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
    return SqliteDatabase.open(home.resolve("node.sqlite"), MIGRATIONS);
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
