package org.fedlink.supernode.secagg;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.secagg.Biprime;

/**
 * {@link BiprimeStore} in the node's SQLite database (table {@code secagg_biprime}, migration V4).
 * Each row is re-validated with {@link Biprime#of} when read, so a tampered row is refused. As
 * thread-safe as the database (calls are serialized).
 */
public final class SqliteBiprimeStore implements BiprimeStore {
  private final SqliteDatabase db;

  public SqliteBiprimeStore(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * Registers {@code biprime}.
   *
   * @throws FedlinkException ALREADY_EXISTS if a biprime with that fingerprint is registered
   */
  public void add(Biprime biprime, String note) {
    if (find(biprime.fingerprint()).isPresent()) {
      throw new FedlinkException(
          ErrorCode.ALREADY_EXISTS,
          "biprime " + biprime.fingerprint() + " is already registered on this node");
    }
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO secagg_biprime (fingerprint, bits, modulus_hex, note, added_ms)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, biprime.fingerprint());
            s.setInt(2, biprime.bits());
            s.setString(3, biprime.modulus().toString(16));
            s.setString(4, note == null ? "" : note);
            s.setLong(5, System.currentTimeMillis());
            return s.executeUpdate();
          }
        });
  }

  /**
   * Removes the biprime with this fingerprint.
   *
   * @return true if one was registered
   */
  public boolean delete(String fingerprint) {
    return db.transaction(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("DELETE FROM secagg_biprime WHERE fingerprint = ?")) {
                s.setString(1, fingerprint.toLowerCase(java.util.Locale.ROOT));
                return s.executeUpdate();
              }
            })
        > 0;
  }

  @Override
  public Optional<Biprime> find(String fingerprint) {
    List<Biprime> found = query("WHERE fingerprint = ?", fingerprint);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  @Override
  public List<Biprime> list() {
    return query("ORDER BY added_ms, fingerprint", null);
  }

  private List<Biprime> query(String clause, String arg) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT fingerprint, modulus_hex FROM secagg_biprime " + clause)) {
            if (arg != null) {
              s.setString(1, arg);
            }
            List<Biprime> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(parse(rs.getString(1), rs.getString(2)));
              }
            }
            return out;
          }
        });
  }

  private static Biprime parse(String fingerprint, String hex) {
    try {
      Biprime b = Biprime.of(new BigInteger(hex, 16));
      if (!b.fingerprint().equals(fingerprint)) {
        throw new FedlinkException(
            ErrorCode.INTERNAL,
            "registered biprime " + fingerprint + " does not match its stored modulus; delete it");
      }
      return b;
    } catch (InvalidAlgorithmParameterException | NumberFormatException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL,
          "registered biprime " + fingerprint + " is invalid (" + e.getMessage() + "); delete it");
    }
  }
}
