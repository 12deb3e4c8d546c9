package org.fedlink.superlink.state;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.RoundReport;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.RunSummary;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;

/** {@link LinkState} in a SQLite file managed by Flyway migrations ({@code db/superlink}). */
public final class SqliteLinkState implements LinkState {
  private static final String MIGRATIONS = "classpath:db/superlink";
  private final SqliteDatabase db;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private SqliteLinkState(SqliteDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Opens or creates the state file, migrating an older schema; stop times read the system clock.
   */
  public static SqliteLinkState open(Path file) {
    return open(file, Clock.systemUTC());
  }

  /** Opens or creates the state file; the time a run is stopped is read from {@code clock}. */
  public static SqliteLinkState open(Path file, Clock clock) {
    return new SqliteLinkState(
        SqliteDatabase.open(file, MIGRATIONS), java.util.Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public NodeRecord createOrFindNode(String identityHash, String fingerprint, long nowMs) {
    return db.transaction(
        c -> {
          Optional<NodeRecord> existing =
              queryNode(c, "SELECT * FROM node WHERE identity_hash = ?", identityHash);
          if (existing.isPresent()) {
            update(c, "UPDATE node SET deleted = 0 WHERE node_id = ?", existing.get().nodeId());
            return existing.get();
          }
          long id;
          do {
            id = random.nextLong() & Long.MAX_VALUE;
          } while (id == 0 || queryNode(c, "SELECT * FROM node WHERE node_id = ?", id).isPresent());
          update(
              c,
              "INSERT INTO node (node_id, identity_hash, fingerprint, created_ms, last_seen_ms)"
                  + " VALUES (?, ?, ?, ?, ?)",
              id,
              identityHash,
              fingerprint,
              nowMs,
              nowMs);
          return new NodeRecord(id, identityHash, fingerprint, nowMs, nowMs, "");
        });
  }

  @Override
  public void saveComponentId(long nodeId, String componentId) {
    db.transaction(
        c -> update(c, "UPDATE node SET component_id = ? WHERE node_id = ?", componentId, nodeId));
  }

  @Override
  public Optional<NodeRecord> node(long nodeId) {
    return db.transaction(
        c -> queryNode(c, "SELECT * FROM node WHERE node_id = ? AND deleted = 0", nodeId));
  }

  @Override
  public List<NodeRecord> nodes() {
    return db.transaction(
        c -> {
          List<NodeRecord> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement("SELECT * FROM node WHERE deleted = 0 ORDER BY created_ms");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(toNode(rs));
            }
          }
          return out;
        });
  }

  @Override
  public void saveLastSeen(long nodeId, long lastSeenMs) {
    db.transaction(
        c -> update(c, "UPDATE node SET last_seen_ms = ? WHERE node_id = ?", lastSeenMs, nodeId));
  }

  @Override
  public void saveLastSeen(Map<Long, Long> lastSeenByNode) {
    if (lastSeenByNode.isEmpty()) {
      return;
    }
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE node SET last_seen_ms = ? WHERE node_id = ?")) {
            for (Map.Entry<Long, Long> e : lastSeenByNode.entrySet()) {
              s.setLong(1, e.getValue());
              s.setLong(2, e.getKey());
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  @Override
  public Map<String, byte[]> sealedSharedKeys(String owner) {
    return db.transaction(
        c -> {
          Map<String, byte[]> out = new java.util.HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT fingerprint, sealed FROM sealed_shared_key WHERE owner = ?")) {
            s.setString(1, owner);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getBytes(2));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void saveSealedSharedKeys(String owner, Map<String, byte[]> sealed) {
    if (sealed.isEmpty()) {
      return;
    }
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO sealed_shared_key (owner, fingerprint, sealed)"
                      + " VALUES (?, ?, ?)")) {
            for (Map.Entry<String, byte[]> e : sealed.entrySet()) {
              s.setString(1, owner);
              s.setString(2, e.getKey());
              s.setBytes(3, e.getValue());
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  @Override
  public int retainSealedSharedKeys(String owner, Set<String> keep) {
    return db.transaction(
        c -> {
          List<String[]> gone = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement("SELECT owner, fingerprint FROM sealed_shared_key");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              if (!rs.getString(1).equals(owner) || !keep.contains(rs.getString(2))) {
                gone.add(new String[] {rs.getString(1), rs.getString(2)});
              }
            }
          }
          if (!gone.isEmpty()) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "DELETE FROM sealed_shared_key WHERE owner = ? AND fingerprint = ?")) {
              for (String[] row : gone) {
                s.setString(1, row[0]);
                s.setString(2, row[1]);
                s.addBatch();
              }
              s.executeBatch();
            }
          }
          return gone.size();
        });
  }

  @Override
  public void deleteNode(long nodeId) {
    db.transaction(c -> update(c, "UPDATE node SET deleted = 1 WHERE node_id = ?", nodeId));
  }

  @Override
  public void createRun(Run run, String owner) {
    db.transaction(
        c ->
            update(
                c,
                "INSERT OR IGNORE INTO run (run_id, config, created_ms, owner) VALUES (?, ?, ?, ?)",
                run.getRunId(),
                run.toByteArray(),
                run.getCreatedMs(),
                owner));
  }

  @Override
  public Optional<String> runOwner(String runId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT owner FROM run WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<Run> run(String runId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT config, stopped, stopped_ms, stop_reason FROM run WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              Run.Builder run = parse(Run.parser(), rs.getBytes(1)).toBuilder();
              run.setStopped(rs.getInt(2) != 0).setStoppedMs(rs.getLong(3));
              if (rs.getString(4) != null) {
                run.setStopReason(rs.getString(4));
              }
              return Optional.of(run.build());
            }
          }
        });
  }

  @Override
  public void stopRun(String runId) {
    stopRun(runId, clock.millis(), "stopped by its researcher");
  }

  @Override
  public void stopRun(String runId, long stoppedMs, String reason) {
    // A second stop keeps the first time and reason: retention counts from when the run ended.
    db.transaction(
        c ->
            update(
                c,
                "UPDATE run SET stopped = 1, stopped_ms = ?, stop_reason = ?"
                    + " WHERE run_id = ? AND stopped = 0",
                stoppedMs,
                reason,
                runId));
  }

  @Override
  public List<String> activeRuns() {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT run_id FROM run WHERE stopped = 0 ORDER BY created_ms");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Override
  public void insertTasks(List<Task> tasks) {
    db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT OR IGNORE INTO task (task_id, run_id, node_id, model_blob_id, body,"
                      + " created_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Task t : tasks) {
              s.setString(1, t.getTaskId());
              s.setString(2, t.getRunId());
              s.setLong(3, t.getNodeId());
              s.setString(4, t.getModelBlobId().isEmpty() ? null : t.getModelBlobId());
              s.setBytes(5, t.toByteArray());
              s.setLong(6, t.getCreatedMs());
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  @Override
  public Optional<Task> task(String taskId) {
    return db.transaction(
        c -> {
          List<Task> l = queryTasks(c, "SELECT body FROM task WHERE task_id = ?", taskId);
          return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
        });
  }

  @Override
  public List<Task> openTasks(long nodeId) {
    return db.transaction(
        c ->
            queryTasks(
                c,
                "SELECT t.body FROM task t JOIN run r ON r.run_id = t.run_id"
                    + " WHERE t.node_id = ? AND r.stopped = 0"
                    + " AND NOT EXISTS (SELECT 1 FROM result x WHERE x.task_id = t.task_id)"
                    + " ORDER BY t.created_ms, t.task_id",
                nodeId));
  }

  @Override
  public boolean insertResult(TaskResult r) {
    return db.transaction(
        c ->
            update(
                    c,
                    "INSERT OR IGNORE INTO result (task_id, run_id, node_id, blob_id, body,"
                        + " created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    r.getTaskId(),
                    r.getRunId(),
                    r.getNodeId(),
                    r.getBlobId().isEmpty() ? null : r.getBlobId(),
                    r.toByteArray(),
                    r.getCreatedMs())
                == 1);
  }

  /** Up to this many task ids, {@link #results} looks each up by key. */
  private static final int RESULTS_BY_ID = 200;

  @Override
  public List<TaskResult> results(String runId, Collection<String> taskIds) {
    Set<String> wanted = new HashSet<>(taskIds);
    if (wanted.isEmpty()) {
      return List.of();
    }
    return db.transaction(
        c -> {
          List<TaskResult> out = new ArrayList<>();
          if (wanted.size() > RESULTS_BY_ID) {
            // Many ids (a phase of a thousand nodes): one pass over the run's results.
            try (PreparedStatement s =
                c.prepareStatement("SELECT task_id, body FROM result WHERE run_id = ?")) {
              s.setString(1, runId);
              try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                  if (wanted.contains(rs.getString(1))) {
                    out.add(parse(TaskResult.parser(), rs.getBytes(2)));
                  }
                }
              }
            }
            return out;
          }
          // A few ids (a phase, or what a stream still waits for): looked up by key, not by
          // reading every result of a long run.
          String marks = String.join(",", java.util.Collections.nCopies(wanted.size(), "?"));
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT body FROM result WHERE run_id = ? AND task_id IN (" + marks + ")")) {
            s.setString(1, runId);
            int i = 2;
            for (String id : wanted) {
              s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(parse(TaskResult.parser(), rs.getBytes(1)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void insertBlob(String blobId, long owner, long size, byte[] sha256, long nowMs) {
    db.transaction(
        c ->
            update(
                c,
                "INSERT OR REPLACE INTO blob (blob_id, owner, size, sha256, created_ms)"
                    + " VALUES (?, ?, ?, ?, ?)",
                blobId,
                owner,
                size,
                sha256,
                nowMs));
  }

  @Override
  public boolean insertBlob(String blobId, long owner, byte[] sha256, long nowMs, byte[] data) {
    return db.transaction(
        c ->
            update(
                    c,
                    "INSERT OR IGNORE INTO blob (blob_id, owner, size, sha256, created_ms, data)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                    blobId,
                    owner,
                    (long) data.length,
                    sha256,
                    nowMs,
                    data)
                == 1);
  }

  @Override
  public Optional<byte[]> blobData(String blobId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT data FROM blob WHERE blob_id = ? AND data IS NOT NULL")) {
            s.setString(1, blobId);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              byte[] data = rs.getBytes(1);
              // The driver may read an empty BLOB as null; the filter above excludes SQL NULL.
              return Optional.of(data == null ? new byte[0] : data);
            }
          }
        });
  }

  @Override
  public Optional<Long> blobOwner(String blobId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT owner FROM blob WHERE blob_id = ?")) {
            s.setString(1, blobId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<Long> blobSize(String blobId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT size FROM blob WHERE blob_id = ?")) {
            s.setString(1, blobId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public long blobBytesOfRun(String runId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT COALESCE(SUM(size), 0) FROM blob WHERE blob_id IN"
                      + " (SELECT model_blob_id FROM task WHERE run_id = ?"
                      + " UNION SELECT blob_id FROM result WHERE run_id = ?)")) {
            s.setString(1, runId);
            s.setString(2, runId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  @Override
  public boolean nodeMayRead(long nodeId, String blobId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM task WHERE node_id = ? AND model_blob_id = ? LIMIT 1")) {
            s.setLong(1, nodeId);
            s.setString(2, blobId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  @Override
  public List<Long> nodesOfRun(String runId) {
    return db.transaction(
        c -> {
          List<Long> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement("SELECT DISTINCT node_id FROM task WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public List<String> runsReferencing(String blobId) {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT run_id FROM task WHERE model_blob_id = ?"
                      + " UNION SELECT run_id FROM result WHERE blob_id = ?")) {
            s.setString(1, blobId);
            s.setString(2, blobId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public List<String> blobsOfRun(String runId) {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT model_blob_id FROM task WHERE run_id = ? AND model_blob_id IS NOT NULL"
                      + " UNION SELECT blob_id FROM result WHERE run_id = ? AND blob_id IS NOT"
                      + " NULL")) {
            s.setString(1, runId);
            s.setString(2, runId);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void deleteBlob(String blobId) {
    db.transaction(c -> update(c, "DELETE FROM blob WHERE blob_id = ?", blobId));
  }

  @Override
  public void insertEnvelope(Envelope e, long nowMs) {
    db.transaction(
        c ->
            update(
                c,
                "INSERT OR IGNORE INTO envelope (envelope_id, run_id, to_node_id, body, created_ms)"
                    + " VALUES (?, ?, ?, ?, ?)",
                e.getEnvelopeId(),
                e.getRunId(),
                e.getToNodeId(),
                e.toByteArray(),
                nowMs));
  }

  @Override
  public long envelopeCount(String runId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT COUNT(*) FROM envelope WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  @Override
  public List<Envelope> pendingEnvelopes(long toNodeId, String runIdOrNull) {
    return db.transaction(
        c -> {
          List<Envelope> out = new ArrayList<>();
          String sql =
              "SELECT body FROM envelope WHERE to_node_id = ? AND delivered = 0"
                  + (runIdOrNull == null ? "" : " AND run_id = ?")
                  + " ORDER BY created_ms, envelope_id";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, toNodeId);
            if (runIdOrNull != null) {
              s.setString(2, runIdOrNull);
            }
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(parse(Envelope.parser(), rs.getBytes(1)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void markEnvelopeDelivered(String envelopeId) {
    db.transaction(
        c -> update(c, "UPDATE envelope SET delivered = 1 WHERE envelope_id = ?", envelopeId));
  }

  @Override
  public void markEnvelopesDelivered(long toNodeId, List<String> envelopeIds) {
    if (envelopeIds.isEmpty()) {
      return;
    }
    db.transaction(
        c -> {
          for (String id : envelopeIds) {
            update(
                c,
                "UPDATE envelope SET delivered = 1 WHERE envelope_id = ? AND to_node_id = ?",
                id,
                toNodeId);
          }
          return null;
        });
  }

  @Override
  public List<String> runsStoppedBefore(long stoppedBeforeMs) {
    return db.transaction(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT run_id FROM run WHERE stopped = 1 AND stopped_ms < ?"
                      + " ORDER BY stopped_ms, run_id")) {
            s.setLong(1, stoppedBeforeMs);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getString(1));
              }
            }
          }
          return out;
        });
  }

  @Override
  public int deleteStoppedRun(String runId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT stopped FROM run WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next() || rs.getInt(1) == 0) {
                return 0; // Gone already, or open: an open run is never removed.
              }
            }
          }
          // Results reference tasks: they go first.
          return update(c, "DELETE FROM envelope WHERE run_id = ?", runId)
              + update(c, "DELETE FROM run_round WHERE run_id = ?", runId)
              + update(c, "DELETE FROM result WHERE run_id = ?", runId)
              + update(c, "DELETE FROM task WHERE run_id = ?", runId)
              + update(c, "DELETE FROM run WHERE run_id = ?", runId);
        });
  }

  private static final String SUMMARY =
      "SELECT r.config, r.stopped, r.stopped_ms, r.stop_reason, r.owner,"
          + " (SELECT COALESCE(MAX(round), 0) FROM run_round rr WHERE rr.run_id = r.run_id),"
          + " (SELECT COUNT(DISTINCT node_id) FROM task t WHERE t.run_id = r.run_id)"
          + " FROM run r";

  private static RunSummary summary(ResultSet rs) throws SQLException {
    Run.Builder run = parse(Run.parser(), rs.getBytes(1)).toBuilder();
    run.setStopped(rs.getInt(2) != 0).setStoppedMs(rs.getLong(3));
    if (rs.getString(4) != null) {
      run.setStopReason(rs.getString(4));
    }
    RunSummary.Builder b = RunSummary.newBuilder().setRun(run);
    if (rs.getString(5) != null) {
      b.setOwner(rs.getString(5));
    }
    return b.setRound(rs.getInt(6)).setNodes(rs.getInt(7)).build();
  }

  @Override
  public List<RunSummary> runSummaries() {
    return db.transaction(
        c -> {
          List<RunSummary> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(SUMMARY + " ORDER BY r.created_ms DESC, r.run_id")) {
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(summary(rs));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Optional<RunSummary> runSummary(String runId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s = c.prepareStatement(SUMMARY + " WHERE r.run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(summary(rs)) : Optional.<RunSummary>empty();
            }
          }
        });
  }

  @Override
  public void saveRoundReport(RoundReport report) {
    db.transaction(
        c ->
            update(
                c,
                "INSERT OR REPLACE INTO run_round (run_id, round, body, reported_ms)"
                    + " VALUES (?, ?, ?, ?)",
                report.getRunId(),
                report.getRound(),
                report.toByteArray(),
                report.getReportedMs()));
  }

  @Override
  public List<RoundReport> roundReports(String runId, int afterRound) {
    return db.transaction(
        c -> {
          List<RoundReport> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT body FROM run_round WHERE run_id = ? AND round > ? ORDER BY round")) {
            s.setString(1, runId);
            s.setInt(2, afterRound);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(parse(RoundReport.parser(), rs.getBytes(1)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public List<BlobRecord> unreferencedBlobs(long createdBeforeMs) {
    return db.transaction(
        c -> {
          List<BlobRecord> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT b.blob_id, b.size FROM blob b WHERE b.created_ms < ?"
                      + " AND NOT EXISTS (SELECT 1 FROM task t WHERE t.model_blob_id = b.blob_id)"
                      + " AND NOT EXISTS (SELECT 1 FROM result r WHERE r.blob_id = b.blob_id)"
                      + " ORDER BY b.created_ms, b.blob_id")) {
            s.setLong(1, createdBeforeMs);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(new BlobRecord(rs.getString(1), rs.getLong(2)));
              }
            }
          }
          return out;
        });
  }

  @Override
  public Optional<BlobRecord> blob(String blobId) {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT blob_id, size FROM blob WHERE blob_id = ?")) {
            s.setString(1, blobId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? Optional.of(new BlobRecord(rs.getString(1), rs.getLong(2)))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Gives the space of deleted rows back to the file system: the write-ahead log is checkpointed
   * and truncated, then {@code VACUUM} rewrites the file without its free pages (through the log,
   * which is then truncated again). VACUUM needs free disk space about the size of the database;
   * where there is less it fails and nothing changes.
   */
  @Override
  public void reclaimSpace() {
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    db.execute("VACUUM");
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  @Override
  public Path file() {
    return db.file();
  }

  @Override
  public void close() {
    db.close();
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }

  private static Optional<NodeRecord> queryNode(Connection c, String sql, Object arg)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, arg);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(toNode(rs)) : Optional.empty();
      }
    }
  }

  private static NodeRecord toNode(ResultSet rs) throws SQLException {
    return new NodeRecord(
        rs.getLong("node_id"),
        rs.getString("identity_hash"),
        rs.getString("fingerprint"),
        rs.getLong("created_ms"),
        rs.getLong("last_seen_ms"),
        rs.getString("component_id"));
  }

  private static List<Task> queryTasks(Connection c, String sql, Object arg) throws SQLException {
    List<Task> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, arg);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(parse(Task.parser(), rs.getBytes(1)));
        }
      }
    }
    return out;
  }

  private static <T extends MessageLite> T parse(Parser<T> parser, byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "corrupt record in SuperLink state", e);
    }
  }
}
