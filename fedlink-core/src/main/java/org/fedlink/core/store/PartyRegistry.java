package org.fedlink.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The parties registered in a component's database (table {@code party}, created by the SuperNode's
 * and the researcher's migrations). It stores what it is given: callers check the certificate
 * (subject O equal to the id, validity) before {@link #register}, and check it again when they use
 * it. Thread-safe (the database serializes transactions).
 */
public final class PartyRegistry {
  private final SqliteDatabase db;

  public PartyRegistry(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Registers {@code party}.
   *
   * @param upsert replace an existing registration of the same id
   * @return true if an existing registration was replaced
   * @throws FedlinkException {@link ErrorCode#ALREADY_EXISTS} if the id is registered and {@code
   *     upsert} is false
   */
  public boolean register(Party party, boolean upsert) {
    Objects.requireNonNull(party, "party");
    return db.transaction(
        c -> {
          boolean exists = find(c, party.id()).isPresent();
          if (exists && !upsert) {
            throw new FedlinkException(
                ErrorCode.ALREADY_EXISTS,
                "party "
                    + party.id()
                    + " is already registered; use --upsert to replace its certificate and"
                    + " endpoint, or 'certificate delete "
                    + party.id()
                    + "' first");
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO party (party_id, certificate_pem, ip, port, not_after_ms,"
                      + " registered_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, party.id());
            s.setString(2, party.certificatePem());
            s.setString(3, party.ip());
            s.setInt(4, party.port());
            s.setLong(5, party.notAfterMs());
            s.setLong(6, party.registeredMs());
            s.executeUpdate();
          }
          return exists;
        });
  }

  /** The registration of {@code id}, if any. */
  public Optional<Party> find(String id) {
    return db.transaction(c -> find(c, id));
  }

  /** Every registered party, by id. */
  public List<Party> list() {
    return db.transaction(
        c -> {
          List<Party> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY party_id");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(read(rs));
            }
          }
          return out;
        });
  }

  /**
   * Removes the registration of {@code id}.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if it is not registered
   */
  public void delete(String id) {
    db.transaction(
        c -> {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM party WHERE party_id = ?")) {
            s.setString(1, id);
            if (s.executeUpdate() == 0) {
              throw new FedlinkException(
                  ErrorCode.NOT_FOUND,
                  "party "
                      + id
                      + " is not registered; 'certificate list' shows the registered ids");
            }
          }
          return null;
        });
  }

  private static final String SELECT =
      "SELECT party_id, certificate_pem, ip, port, not_after_ms, registered_ms FROM party";

  private static Optional<Party> find(java.sql.Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE party_id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Party read(ResultSet rs) throws SQLException {
    return new Party(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        rs.getLong(5),
        rs.getLong(6));
  }
}
