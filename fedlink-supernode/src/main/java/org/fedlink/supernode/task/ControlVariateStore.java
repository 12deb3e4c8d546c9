package org.fedlink.supernode.task;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.store.SqliteDatabase;

/**
 * SCAFFOLD's control variates of a node (by node id), in its database (table {@code
 * scaffold_variate}, migration V8), so a restarted node continues with the variate it had. One row
 * per run and round trained; a round reads the variate of the latest earlier round, so a round
 * redone after the researcher restarted starts from the same variate as the first attempt. Only the
 * two latest rounds of a run are kept. As thread-safe as the database.
 */
public final class ControlVariateStore {
  private final SqliteDatabase db;
  private final InstantSource clock;

  public ControlVariateStore(SqliteDatabase db, InstantSource clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The variate node {@code nodeId} had before {@code round} of {@code runId}, if it trained. */
  public Optional<Parameters> before(long nodeId, String runId, int round) {
    byte[] bytes =
        db.transaction(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT variate FROM scaffold_variate WHERE node_id = ? AND run_id = ? AND round < ?"
                          + " ORDER BY round DESC LIMIT 1")) {
                s.setLong(1, nodeId);
                s.setString(2, runId);
                s.setInt(3, round);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getBytes(1) : null;
                }
              }
            });
    return bytes == null ? Optional.empty() : Optional.of(ParametersCodec.decode(bytes));
  }

  /** Records the variate after {@code round}; drops those of rounds before {@code round - 1}. */
  public void save(long nodeId, String runId, int round, Parameters variate) {
    byte[] bytes = ParametersCodec.encode(variate);
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO scaffold_variate"
                      + " (node_id, run_id, round, variate, updated_ms) VALUES (?, ?, ?, ?, ?)")) {
            s.setLong(1, nodeId);
            s.setString(2, runId);
            s.setInt(3, round);
            s.setBytes(4, bytes);
            s.setLong(5, clock.millis());
            s.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM scaffold_variate WHERE node_id = ? AND run_id = ? AND round < ?")) {
            s.setLong(1, nodeId);
            s.setString(2, runId);
            s.setInt(3, round - 1);
            return s.executeUpdate();
          }
        });
  }
}
