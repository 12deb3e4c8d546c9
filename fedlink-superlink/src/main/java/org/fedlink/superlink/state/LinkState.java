package org.fedlink.superlink.state;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.RoundReport;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.RunSummary;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;

/**
 * Everything the SuperLink must not forget across a restart: nodes, runs, tasks, results, blob
 * metadata and relayed envelopes. Implementations are thread-safe; every method is one transaction.
 */
public interface LinkState extends AutoCloseable {

  /**
   * The node of this identity, registering it with a fresh random id on first sight. The same
   * identity always yields the same id; a deleted node is revived with its old id.
   */
  NodeRecord createOrFindNode(String identityHash, String fingerprint, long nowMs);

  /** Records the component id the node registered with (its configuration's {@code id}). */
  void saveComponentId(long nodeId, String componentId);

  Optional<NodeRecord> node(long nodeId);

  /** Registered nodes that are not deleted. */
  List<NodeRecord> nodes();

  /** Persists the last-seen times kept in memory. */
  void saveLastSeen(long nodeId, long lastSeenMs);

  /** Persists the last-seen times of many nodes (node id to time) in one transaction. */
  void saveLastSeen(Map<Long, Long> lastSeenByNode);

  /**
   * The sealed shared keys ({@code org.fedlink.crypto.KeySeal}) kept for the SuperLink key {@code
   * owner} (its fingerprint): listed key fingerprint to sealed bytes.
   */
  Map<String, byte[]> sealedSharedKeys(String owner);

  /** Saves sealed shared keys of {@code owner} (fingerprint to sealed bytes) in one transaction. */
  void saveSealedSharedKeys(String owner, Map<String, byte[]> sealed);

  /**
   * Removes the sealed shared keys of other owners and those of {@code owner} whose fingerprint is
   * not in {@code keep}.
   *
   * @return the number of sealed keys removed
   */
  int retainSealedSharedKeys(String owner, java.util.Set<String> keep);

  void deleteNode(long nodeId);

  /** Creates a run without an owner; a second call with the same id is a no-op. */
  default void createRun(Run run) {
    createRun(run, null);
  }

  /**
   * Creates a run owned by a researcher key; a second call with the same id is a no-op (the first
   * owner stays).
   *
   * @param owner the creator's key fingerprint ({@code SHA256:...}), or null on an unauthenticated
   *     Control API
   */
  void createRun(Run run, String owner);

  /** The owner recorded for the run; empty if the run does not exist or has no owner. */
  Optional<String> runOwner(String runId);

  Optional<Run> run(String runId);

  /** Stops the run now, as its researcher asked. */
  default void stopRun(String runId) {
    stopRun(runId, System.currentTimeMillis(), "stopped by its researcher");
  }

  /**
   * Marks the run stopped at {@code stoppedMs} for {@code reason}; a run stopped already keeps its
   * first time and reason.
   */
  void stopRun(String runId, long stoppedMs, String reason);

  /** Ids of the runs not stopped. */
  List<String> activeRuns();

  /** Stores tasks; a task whose id exists already is left as it is (retries are idempotent). */
  void insertTasks(List<Task> tasks);

  Optional<Task> task(String taskId);

  /** Tasks of the node without a result, in creation order, whose run is not stopped. */
  List<Task> openTasks(long nodeId);

  /**
   * Stores a result if the task has none yet.
   *
   * @return false if the task already had a result (the new one is dropped)
   */
  boolean insertResult(TaskResult result);

  /** The stored results among these tasks of the run. */
  List<TaskResult> results(String runId, Collection<String> taskIds);

  /** Records a complete blob whose contents are a file. */
  void insertBlob(String blobId, long owner, long size, byte[] sha256, long nowMs);

  /**
   * Records a complete small blob with its contents in the same row (one transaction: no file).
   *
   * @return false if a blob of this id exists already (it is left as it is)
   */
  boolean insertBlob(String blobId, long owner, byte[] sha256, long nowMs, byte[] data);

  /** The contents of a complete blob kept in its row, if it is one. */
  Optional<byte[]> blobData(String blobId);

  /** The owner of a complete blob (node id, 0 for the researcher), if it exists. */
  Optional<Long> blobOwner(String blobId);

  /** The size in bytes of a complete blob, if it exists. */
  Optional<Long> blobSize(String blobId);

  /** Total bytes of the complete blobs that the run's tasks and results reference. */
  long blobBytesOfRun(String runId);

  /** True if a task of this node takes this blob as its model. */
  boolean nodeMayRead(long nodeId, String blobId);

  /** The runs whose tasks take this blob as model or whose results point to it. */
  List<String> runsReferencing(String blobId);

  /** Blob ids referenced by tasks and results of the run. */
  List<String> blobsOfRun(String runId);

  /** The nodes that were sent a task of the run. */
  List<Long> nodesOfRun(String runId);

  void deleteBlob(String blobId);

  void insertEnvelope(Envelope envelope, long nowMs);

  /** Envelopes stored for the run, delivered or not. */
  long envelopeCount(String runId);

  /** Undelivered envelopes for a recipient (node id, 0 for the researcher of {@code runId}). */
  List<Envelope> pendingEnvelopes(long toNodeId, String runIdOrNull);

  void markEnvelopeDelivered(String envelopeId);

  /** Marks delivered those of {@code envelopeIds} addressed to {@code toNodeId}; ignores others. */
  void markEnvelopesDelivered(long toNodeId, List<String> envelopeIds);

  /** Runs stopped strictly before this time (ms since the epoch), oldest first. */
  List<String> runsStoppedBefore(long stoppedBeforeMs);

  /**
   * Deletes a stopped run with its tasks, results and envelopes, in one transaction. An open run
   * (or an unknown one) is left as it is. Blobs are not touched: see {@link RetentionSweep}.
   *
   * @return rows deleted (0 if the run is open or unknown)
   */
  int deleteStoppedRun(String runId);

  /** Blobs recorded before this time that no task or result references, oldest first. */
  List<BlobRecord> unreferencedBlobs(long createdBeforeMs);

  /** The record of a complete blob, if it exists. */
  Optional<BlobRecord> blob(String blobId);

  /** Returns the space of deleted records to the file system, if the store can. */
  void reclaimSpace();

  /**
   * Every run with its owner, last reported round and number of nodes sent a task, newest first.
   */
  List<RunSummary> runSummaries();

  /** The summary of one run, if it exists. */
  Optional<RunSummary> runSummary(String runId);

  /** Stores a round's report, replacing one of the same round (a resumed run redoes a round). */
  void saveRoundReport(RoundReport report);

  /** The reports of the run's rounds after {@code afterRound}, in round order. */
  List<RoundReport> roundReports(String runId, int afterRound);

  /** The file the state lives in. */
  Path file();

  @Override
  void close();
}
