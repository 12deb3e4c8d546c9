package org.fedlink.superlink.dispatch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.superlink.Quotas;
import org.fedlink.superlink.auth.AuthenticatedKey;
import org.fedlink.superlink.state.BlobStore;
import org.fedlink.superlink.state.LinkState;
import org.fedlink.superlink.state.NodeRecord;
import org.fedlink.transport.BlobTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SuperLink's rules, shared by the Fleet and Control services: who may do what, what happens to
 * tasks of nodes that go away, and the order of persisting before routing. Thread-safe.
 */
public final class Coordinator {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private final LinkState state;
  private final BlobStore blobs;
  private final Dispatcher dispatcher;
  private final Presence presence;
  private final RunQuotas quotas;

  /**
   * How long nodes known from before a restart count as online without a heartbeat. A node retries
   * with a backoff of up to 10 s, and the grace starts when the state opens, before the port
   * listens (seconds on a busy machine): three backoffs leave room for both.
   */
  static final long RESTART_GRACE_MS = 30_000;

  /** Uploads that get no chunk for this long are dropped. */
  static final java.time.Duration IDLE_UPLOAD = java.time.Duration.ofMinutes(10);

  private final long heartbeatIntervalMs;
  private final Map<Long, NodeRecord> knownNodes = new ConcurrentHashMap<>();

  public Coordinator(
      LinkState state,
      BlobStore blobs,
      Dispatcher dispatcher,
      Presence presence,
      long heartbeatIntervalMs) {
    this(state, blobs, dispatcher, presence, heartbeatIntervalMs, Quotas.defaults());
  }

  /** A coordinator that holds runs to {@code quotas} (blob bytes per run, envelopes). */
  public Coordinator(
      LinkState state,
      BlobStore blobs,
      Dispatcher dispatcher,
      Presence presence,
      long heartbeatIntervalMs,
      Quotas quotas) {
    this.quotas = new RunQuotas(state, quotas);
    this.state = state;
    this.blobs = blobs;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    long now = System.currentTimeMillis();
    // After a restart, known nodes get time to notice and reconnect before they count as offline.
    for (NodeRecord n : state.nodes()) {
      presence.seen(n.nodeId(), n.lastSeenMs());
    }
    presence.grace(now, now + Math.max(presence.timeoutMs(), RESTART_GRACE_MS));
  }

  public long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public BlobStore blobs() {
    return blobs;
  }

  /** What the server streams buffer for slow peers. */
  public FlowGauge flowGauge() {
    return dispatcher.gauge();
  }

  /** Registers the node of this identity or finds it again. */
  public NodeRecord createNode(byte[] identity) {
    return createNode(identity, "");
  }

  /**
   * Registers the node of this identity or finds it again, recording the component id of its
   * configuration (a label shown beside the node id; empty if it has none).
   */
  public NodeRecord createNode(byte[] identity, String componentId) {
    if (!componentId.matches("[A-Za-z0-9_.:-]{0,128}")) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "component id must be at most 128 letters, digits or _ . : -");
    }
    if (identity.length == 0 || identity.length > 16 * 1024) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "node identity must be 1..16384 bytes");
    }
    AuthenticatedKey auth = AuthenticatedKey.current();
    String fingerprint;
    if (auth != null) {
      if (!java.security.MessageDigest.isEqual(auth.identity(), identity)) {
        throw new FedlinkException(ErrorCode.UNAUTHENTICATED, "access denied");
      }
      fingerprint = auth.fingerprint();
    } else {
      fingerprint = "token:" + hashOf(identity).substring(0, 16);
    }
    long now = System.currentTimeMillis();
    NodeRecord node = state.createOrFindNode(hashOf(identity), fingerprint, now);
    if (!node.componentId().equals(componentId)) {
      state.saveComponentId(node.nodeId(), componentId);
      node =
          new NodeRecord(
              node.nodeId(),
              node.identityHash(),
              node.fingerprint(),
              node.createdMs(),
              node.lastSeenMs(),
              componentId);
    }
    knownNodes.put(node.nodeId(), node);
    presence.seen(node.nodeId(), now);
    log.info(
        "node {}{} registered ({})",
        node.nodeId(),
        componentId.isEmpty() ? "" : " (" + componentId + ")",
        fingerprint);
    return node;
  }

  /**
   * The node, checked to exist and, with authentication on, to belong to the verified key.
   *
   * @throws FedlinkException NOT_FOUND or UNAUTHENTICATED
   */
  public NodeRecord requireNode(long nodeId) {
    NodeRecord node =
        findNode(nodeId)
            .orElseThrow(
                () ->
                    new FedlinkException(
                        ErrorCode.NOT_FOUND, "node " + nodeId + " is not registered"));
    AuthenticatedKey auth = AuthenticatedKey.current();
    if (auth != null && !node.identityHash().equals(hashOf(auth.identity()))) {
      log.warn(
          "access denied: node id {} belongs to another key than {}", nodeId, auth.fingerprint());
      throw new FedlinkException(ErrorCode.UNAUTHENTICATED, "access denied");
    }
    presence.seen(nodeId, System.currentTimeMillis());
    return node;
  }

  /** The registered node, from memory: every call of a node looks it up. */
  private Optional<NodeRecord> findNode(long nodeId) {
    NodeRecord cached = knownNodes.get(nodeId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<NodeRecord> stored = state.node(nodeId);
    stored.ifPresent(n -> knownNodes.put(nodeId, n));
    return stored;
  }

  public void deleteNode(long nodeId) {
    requireNode(nodeId);
    failOpenTasks(nodeId, "node " + nodeId + " left the federation");
    state.deleteNode(nodeId);
    knownNodes.remove(nodeId);
    presence.forget(nodeId);
    dispatcher.closeNode(nodeId, Status.CANCELLED.withDescription("node deleted"));
  }

  /** Opens the node's task stream and sends what is waiting for it. */
  public void subscribe(long nodeId, ServerCallStreamObserver<NodeMessage> stream) {
    requireNode(nodeId);
    dispatcher.subscribe(nodeId, stream);
    for (Task t : state.openTasks(nodeId)) {
      sendTask(nodeId, t);
    }
    // Like tasks, envelopes stay pending until the node acknowledges them (in a heartbeat): one
    // lost with a broken stream is sent again here, and the node ignores those it already has.
    for (Envelope e : state.pendingEnvelopes(nodeId, null)) {
      dispatcher.sendToNode(nodeId, NodeMessage.newBuilder().setEnvelope(e).build());
    }
  }

  /** Records that the node received these envelopes: they are not sent to it again. */
  public void acknowledgeEnvelopes(long nodeId, List<String> envelopeIds) {
    state.markEnvelopesDelivered(nodeId, envelopeIds);
  }

  /** True if this complete blob was uploaded by {@code owner} (a retried call finds it so). */
  public boolean ownsBlob(long owner, String blobId) {
    return state.blobOwner(blobId).map(o -> o == owner).orElse(false);
  }

  /** Sends a task, preceded by its model when the model is small enough to travel inline. */
  private void sendTask(long nodeId, Task t) {
    if (!t.getModelBlobId().isEmpty()) {
      blobs
          .inline(t.getModelBlobId())
          .ifPresent(
              c -> dispatcher.sendToNode(nodeId, NodeMessage.newBuilder().setBlob(c).build()));
    }
    dispatcher.sendToNode(nodeId, NodeMessage.newBuilder().setTask(t).build());
  }

  /** The result's blob as one chunk if it is small enough to travel with the result, or null. */
  private BlobChunk inlineBlob(TaskResult r) {
    return r.getBlobId().isEmpty() ? null : blobs.inline(r.getBlobId()).orElse(null);
  }

  /** Checks that a node may read a blob: its own, or one a task of its takes as model. */
  public void requireNodeMayRead(long nodeId, String blobId) {
    Long owner = state.blobOwner(blobId).orElse(null);
    if (owner == null || owner != nodeId && !state.nodeMayRead(nodeId, blobId)) {
      throw new FedlinkException(ErrorCode.NOT_FOUND, "blob " + blobId + " does not exist");
    }
  }

  /** Stores a node's result and routes it to the researcher. */
  public void pushResult(long nodeId, TaskResult result) {
    Task task =
        state
            .task(result.getTaskId())
            .orElseThrow(
                () ->
                    new FedlinkException(
                        ErrorCode.NOT_FOUND, "task " + result.getTaskId() + " does not exist"));
    if (task.getNodeId() != nodeId) {
      throw new FedlinkException(ErrorCode.REFUSED, "task " + task.getTaskId() + " is not yours");
    }
    if (!result.getBlobId().isEmpty()) {
      Long owner = state.blobOwner(result.getBlobId()).orElse(null);
      if (owner == null || owner != nodeId) {
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "result blob " + result.getBlobId() + " was not uploaded");
      }
    }
    TaskResult stored =
        result.toBuilder()
            .setRunId(task.getRunId())
            .setNodeId(nodeId)
            .setRound(task.getRound())
            .setKind(task.getKind())
            .setCreatedMs(System.currentTimeMillis())
            .build();
    long joining = reserveResultBlob(task, result.getBlobId());
    boolean inserted = false;
    try {
      inserted = state.insertResult(stored);
    } finally {
      if (!inserted) {
        quotas.releaseBlobBytes(task.getRunId(), joining);
      }
    }
    if (inserted) {
      dispatcher.publish(stored, inlineBlob(stored));
    }
  }

  /**
   * Reserves the run's room for a result blob that joins it. Past {@code max_run_blob_mb} the task
   * fails with a result that says so (the researcher sees why), the blob is deleted, and the node
   * is refused.
   *
   * @return the bytes reserved (0 if none)
   */
  private long reserveResultBlob(Task task, String blobId) {
    try {
      return quotas.reserveResultBlob(task.getRunId(), blobId);
    } catch (FedlinkException e) {
      fail(task, ErrorCode.RESOURCE_EXHAUSTED, "node " + task.getNodeId() + ": " + e.getMessage());
      if (state.runsReferencing(blobId).isEmpty()) {
        blobs.delete(blobId);
      }
      throw e;
    }
  }

  /** Creates a run; the id may be proposed by the researcher so a retried call is harmless. */
  public String createRun(String proposedId, Map<String, String> config) {
    return createRun(proposedId, config, null);
  }

  /**
   * Creates a run owned by a researcher key (null: no owner); a retried call keeps the first owner.
   */
  public String createRun(String proposedId, Map<String, String> config, String owner) {
    String id = proposedId.isEmpty() ? UUID.randomUUID().toString() : proposedId;
    if (id.length() > 64) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "run id longer than 64 characters");
    }
    state.createRun(
        Run.newBuilder()
            .setRunId(id)
            .putAllConfig(config)
            .setCreatedMs(System.currentTimeMillis())
            .build(),
        owner);
    return id;
  }

  public Run requireRun(String runId) {
    return state
        .run(runId)
        .orElseThrow(
            () -> new FedlinkException(ErrorCode.NOT_FOUND, "run " + runId + " does not exist"));
  }

  /**
   * Queues tasks, sending each to its node at once if subscribed. A task for an offline node fails
   * at once with a result that says so; it never hangs.
   */
  public List<String> pushTasks(List<Task> tasks) {
    long now = System.currentTimeMillis();
    List<Task> stored = new ArrayList<>(tasks.size());
    // A phase pushes one task per node, all of one run and one model: each run and blob is looked
    // up once per call, not once per task (a phase of 1,000 nodes would otherwise make 2,000
    // queries before its first task leaves).
    Set<String> runsChecked = new HashSet<>();
    Set<String> blobsChecked = new HashSet<>();
    for (Task t : tasks) {
      if (runsChecked.add(t.getRunId())) {
        Run run = requireRun(t.getRunId());
        if (run.getStopped()) {
          throw stopped(run);
        }
      }
      if (findNode(t.getNodeId()).isEmpty()) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND, "node " + t.getNodeId() + " is not registered");
      }
      if (!t.getModelBlobId().isEmpty()
          && blobsChecked.add(t.getModelBlobId())
          && state.blobOwner(t.getModelBlobId()).isEmpty()) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND, "model blob " + t.getModelBlobId() + " does not exist");
      }
      String id = t.getTaskId();
      if (id.isEmpty()) {
        id = UUID.randomUUID().toString();
      } else if (!BlobTransfer.isValidId(id)) {
        throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "task id must be a UUID");
      }
      stored.add(t.toBuilder().setTaskId(id).setCreatedMs(now).build());
    }
    Map<String, Long> joining = quotas.reserveModelBlobs(stored);
    boolean inserted = false;
    try {
      state.insertTasks(stored);
      inserted = true;
    } finally {
      if (!inserted) {
        joining.forEach(quotas::releaseBlobBytes);
      }
    }
    List<String> ids = new ArrayList<>(stored.size());
    for (Task t : stored) {
      ids.add(t.getTaskId());
      if (!presence.isOnline(t.getNodeId(), now)) {
        long ago = (now - presence.lastSeen(t.getNodeId())) / 1000;
        fail(
            t,
            ErrorCode.NODE_OFFLINE,
            "node " + t.getNodeId() + " is offline (last seen " + ago + " s ago)");
      } else {
        // Not recorded as delivered: until its result is in, a task is sent again whenever the
        // node subscribes, and the node ignores tasks it already has.
        sendTask(t.getNodeId(), t);
      }
    }
    return ids;
  }

  /** Streams the results of these tasks: those stored, then each as it arrives. */
  public void streamResults(
      String runId,
      List<String> taskIds,
      boolean envelopes,
      ServerCallStreamObserver<ResultsMessage> stream) {
    requireRun(runId);
    Dispatcher.ResultListener listener =
        dispatcher.listen(runId, taskIds, envelopes, stream, this::catchUp);
    catchUp(listener);
    listener.completeIfEmpty();
  }

  /**
   * Pushes a phase's tasks (all of one run, ids set) and streams their results on {@code stream}:
   * the stream listens before the tasks are stored, so even a result that fails at once (an offline
   * node) reaches it, and results stored by an earlier push of the same tasks are sent.
   */
  public void pushTasksStreamResults(
      List<Task> tasks, boolean envelopes, ServerCallStreamObserver<ResultsMessage> stream) {
    String runId = tasks.get(0).getRunId();
    requireRun(runId);
    List<String> ids = tasks.stream().map(Task::getTaskId).toList();
    Dispatcher.ResultListener listener =
        dispatcher.listen(runId, ids, envelopes, stream, this::catchUp);
    try {
      pushTasks(tasks);
    } catch (RuntimeException e) {
      dispatcher.forget(listener);
      throw e;
    }
    catchUp(listener);
    listener.completeIfEmpty();
  }

  /**
   * Offers a researcher stream the stored results it still waits for, then (if it takes them) the
   * run's envelopes to the researcher not yet delivered: when it opens, and again each time it
   * drained a full buffer. Listening comes before reading the state, and results are stored before
   * they are published, so none falls between.
   */
  private void catchUp(Dispatcher.ResultListener listener) {
    List<String> awaited = listener.awaited();
    if (!awaited.isEmpty()) {
      for (TaskResult r : state.results(listener.runId(), awaited)) {
        listener.deliver(r, inlineBlob(r));
      }
    }
    if (listener.wantsEnvelopes()) {
      for (Envelope e : state.pendingEnvelopes(0, listener.runId())) {
        if (listener.send(ResultsMessage.newBuilder().setEnvelope(e).build())) {
          state.markEnvelopeDelivered(e.getEnvelopeId());
        }
      }
    }
  }

  /**
   * Stores and forwards envelopes from {@code fromNodeId} (0: the researcher). A node relays only
   * within runs it was sent a task of, and only to nodes that were sent a task of the envelope's
   * run (or to the researcher); sizes and counts are held to the {@link Quotas}.
   *
   * @throws FedlinkException REFUSED outside the run's participants, RESOURCE_EXHAUSTED past a
   *     quota
   */
  public void relay(long fromNodeId, List<Envelope> envelopes) {
    long now = System.currentTimeMillis();
    if (fromNodeId != 0) {
      RelayScope.requireParticipants(state, fromNodeId, envelopes);
    }
    for (Envelope e : envelopes) {
      Run run = requireRun(e.getRunId());
      if (run.getStopped()) {
        throw stopped(run);
      }
      if (e.getToNodeId() != 0 && findNode(e.getToNodeId()).isEmpty()) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND, "node " + e.getToNodeId() + " is not registered");
      }
      quotas.reserveEnvelope(e);
      Envelope stored =
          e.toBuilder()
              .setFromNodeId(fromNodeId)
              .setEnvelopeId(UUID.randomUUID().toString())
              .build();
      try {
        state.insertEnvelope(stored, now);
      } catch (RuntimeException ex) {
        quotas.releaseEnvelope(e.getRunId());
        throw ex;
      }
      if (stored.getToNodeId() == 0) {
        if (dispatcher.publishToResearcher(stored)) {
          state.markEnvelopeDelivered(stored.getEnvelopeId());
        }
      } else {
        // Delivered once the node acknowledges it (acknowledgeEnvelopes).
        dispatcher.sendToNode(
            stored.getToNodeId(), NodeMessage.newBuilder().setEnvelope(stored).build());
      }
    }
  }

  /**
   * Stops a run: its open tasks are no longer sent and its connected nodes are told, so they end
   * its plan workers. Its rows and blobs stay until the retention sweep removes them.
   */
  public void stopRun(String runId) {
    stopRun(runId, System.currentTimeMillis(), "stopped by its researcher");
  }

  /** Stops a run as {@link #stopRun(String)} does, recording when and why. */
  public void stopRun(String runId, long nowMs, String reason) {
    requireRun(runId);
    state.stopRun(runId, nowMs, reason);
    NodeMessage stopped = NodeMessage.newBuilder().setRunStopped(runId).build();
    for (long nodeId : state.nodesOfRun(runId)) {
      dispatcher.sendToNode(nodeId, stopped);
    }
  }

  /**
   * Fails a task of this node with {@code error}'s code and message, as its result, if it has no
   * result yet: used when the node's result cannot be stored (the SuperLink's disk is full), so the
   * researcher hears at once instead of at the round timeout.
   */
  public void failTask(long nodeId, String taskId, FedlinkException error) {
    Optional<Task> task = state.task(taskId);
    if (task.isPresent() && task.get().getNodeId() == nodeId) {
      fail(task.get(), error.code(), "node " + nodeId + ": " + error.getMessage());
    }
  }

  /** The refusal of a call into a stopped run: when and why it stopped, and what to do. */
  static FedlinkException stopped(Run run) {
    return new FedlinkException(
        ErrorCode.FAILED_PRECONDITION,
        "run "
            + run.getRunId()
            + " was stopped on the SuperLink"
            // Runs stopped before stop times were recorded have none.
            + (run.getStoppedMs() == 0
                ? ""
                : " at " + java.time.Instant.ofEpochMilli(run.getStoppedMs()))
            + (run.getStopReason().isEmpty() ? "" : " (" + run.getStopReason() + ")")
            + "; start a new run");
  }

  /** The registered nodes with their presence. */
  public List<Node> listNodes() {
    long now = System.currentTimeMillis();
    List<Node> out = new ArrayList<>();
    for (NodeRecord n : state.nodes()) {
      long seen = Math.max(presence.lastSeen(n.nodeId()), n.lastSeenMs());
      out.add(
          Node.newBuilder()
              .setNodeId(n.nodeId())
              .setOnline(presence.isOnline(n.nodeId(), now))
              .setLastSeenMs(seen)
              .setCreatedMs(n.createdMs())
              .setKeyFingerprint(n.fingerprint())
              .setComponentId(n.componentId())
              .build());
    }
    return out;
  }

  /** Marks silent nodes offline and fails their open tasks; persists last-seen times. */
  public void checkPresence() {
    long now = System.currentTimeMillis();
    for (long nodeId : presence.newlyOffline(now)) {
      long silent = (now - presence.lastSeen(nodeId)) / 1000;
      log.warn("node {} is offline: no heartbeat for {} s", nodeId, silent);
      failOpenTasks(nodeId, "node " + nodeId + " went offline (no heartbeat for " + silent + " s)");
      dispatcher.closeNode(nodeId, Status.UNAVAILABLE.withDescription("missed heartbeats"));
    }
    // One transaction for every node: a commit per node per tick would cost one disk sync each.
    state.saveLastSeen(presence.snapshot());
    int dropped = blobs.dropIdleUploads(IDLE_UPLOAD);
    if (dropped > 0) {
      log.info("dropped {} upload(s) idle for more than {} min", dropped, IDLE_UPLOAD.toMinutes());
    }
  }

  /** Ends the node's task stream, e.g. after its key was revoked. */
  public void disconnect(long nodeId, String why) {
    dispatcher.closeNode(nodeId, Status.UNAUTHENTICATED.withDescription(why));
  }

  /**
   * Ends the task streams of every node registered with this identity (a removed key).
   *
   * @return the ids of those nodes
   */
  public List<Long> disconnectIdentity(byte[] identity, String why) {
    String hash = hashOf(identity);
    List<Long> ids = new ArrayList<>();
    for (NodeRecord n : state.nodes()) {
      if (n.identityHash().equals(hash)) {
        disconnect(n.nodeId(), why);
        ids.add(n.nodeId());
      }
    }
    return ids;
  }

  private void failOpenTasks(long nodeId, String message) {
    for (Task t : state.openTasks(nodeId)) {
      fail(t, ErrorCode.NODE_OFFLINE, message);
    }
  }

  private void fail(Task t, ErrorCode code, String message) {
    TaskResult r =
        TaskResult.newBuilder()
            .setTaskId(t.getTaskId())
            .setRunId(t.getRunId())
            .setNodeId(t.getNodeId())
            .setRound(t.getRound())
            .setKind(t.getKind())
            .setStatus(
                org.fedlink.proto.v1.Status.newBuilder().setCode(code.code()).setMessage(message))
            .setCreatedMs(System.currentTimeMillis())
            .build();
    if (state.insertResult(r)) {
      dispatcher.publish(r, null);
    }
  }

  /** Hex SHA-256 of an identity. */
  public static String hashOf(byte[] identity) {
    return HexFormat.of().formatHex(BlobTransfer.sha256(identity));
  }
}
