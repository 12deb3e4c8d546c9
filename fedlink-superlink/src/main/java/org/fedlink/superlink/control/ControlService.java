package org.fedlink.superlink.control;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.CreateRunResponse;
import org.fedlink.proto.v1.DownloadBlobRequest;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.GetRunLogRequest;
import org.fedlink.proto.v1.GetRunStateRequest;
import org.fedlink.proto.v1.ListNodesRequest;
import org.fedlink.proto.v1.ListNodesResponse;
import org.fedlink.proto.v1.ListRunsRequest;
import org.fedlink.proto.v1.ListRunsResponse;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.PushTasksResponse;
import org.fedlink.proto.v1.PushTasksStreamResultsRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.RelayResponse;
import org.fedlink.proto.v1.ReportRoundRequest;
import org.fedlink.proto.v1.ReportRoundResponse;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.RunLog;
import org.fedlink.proto.v1.StopRunRequest;
import org.fedlink.proto.v1.StopRunResponse;
import org.fedlink.proto.v1.StreamResultsRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.proto.v1.UploadChunkResponse;
import org.fedlink.superlink.Calls;
import org.fedlink.superlink.auth.AuthenticatedKey;
import org.fedlink.superlink.dispatch.BlobDownload;
import org.fedlink.superlink.dispatch.Coordinator;
import org.fedlink.superlink.dispatch.IdleRuns;
import org.fedlink.transport.TaskKeys;

/**
 * The Control API: what the researcher calls. Each call that names a run (or a blob of one) is
 * first checked by {@link RunAccess}: a run belongs to the researcher key that created it. The
 * {@link Coordinator} then does the work.
 */
public final class ControlService extends ControlGrpc.ControlImplBase {
  /** Owner id of blobs uploaded by the researcher. */
  private static final long RESEARCHER = 0;

  private final Coordinator coordinator;
  private final RunAccess access;
  private final IdleRuns idle;
  private final RunLogs logs;
  private final java.util.function.Consumer<org.fedlink.proto.v1.RoundReport> onRound;

  public ControlService(Coordinator coordinator, RunAccess access) {
    this(coordinator, access, null);
  }

  /**
   * @param idle told of every call that names a run, so the run counts as alive; null for none
   */
  public ControlService(Coordinator coordinator, RunAccess access, IdleRuns idle) {
    this(coordinator, access, idle, null, r -> {});
  }

  /**
   * @param logs the runs' round lines; null refuses ListRuns, ReportRound and GetRunLog
   * @param onRound told of every report stored (metrics)
   */
  public ControlService(
      Coordinator coordinator,
      RunAccess access,
      IdleRuns idle,
      RunLogs logs,
      java.util.function.Consumer<org.fedlink.proto.v1.RoundReport> onRound) {
    this.coordinator = coordinator;
    this.access = access;
    this.idle = idle;
    this.logs = logs;
    this.onRound = onRound;
  }

  private RunLogs logs() {
    if (logs == null) {
      throw new org.fedlink.core.FedlinkException(
          org.fedlink.core.ErrorCode.FAILED_PRECONDITION, "this SuperLink keeps no run logs");
    }
    return logs;
  }

  private void touch(String runId) {
    if (idle != null) {
      idle.touch(runId);
    }
  }

  @Override
  public void listNodes(ListNodesRequest req, StreamObserver<ListNodesResponse> out) {
    Calls.unary(
        "ListNodes",
        out,
        () -> ListNodesResponse.newBuilder().addAllNodes(coordinator.listNodes()).build());
  }

  @Override
  public void createRun(CreateRunRequest req, StreamObserver<CreateRunResponse> out) {
    Calls.unary(
        "CreateRun",
        out,
        () -> {
          String proposed = req.getConfigOrDefault("run_id", "");
          String id = coordinator.createRun(proposed, req.getConfigMap(), RunAccess.caller());
          // A run id proposed again by another key stays its first owner's.
          access.requireRun(id);
          touch(id);
          return CreateRunResponse.newBuilder().setRunId(id).build();
        });
  }

  @Override
  public void uploadChunk(UploadChunkRequest req, StreamObserver<UploadChunkResponse> out) {
    Calls.unary(
        "UploadChunk",
        out,
        () ->
            UploadChunkResponse.newBuilder()
                .setReceived(coordinator.blobs().append(RESEARCHER, req.getChunk()))
                .build());
  }

  @Override
  public void downloadBlob(DownloadBlobRequest req, StreamObserver<BlobChunk> out) {
    Calls.streaming(
        "DownloadBlob",
        out,
        () -> {
          access.requireBlob(req.getBlobId());
          BlobDownload.start(
              coordinator.blobs().reader(req.getBlobId()), out, coordinator.flowGauge());
        });
  }

  @Override
  public void pushTasks(PushTasksRequest req, StreamObserver<PushTasksResponse> out) {
    Calls.unary(
        "PushTasks",
        out,
        () ->
            PushTasksResponse.newBuilder()
                .addAllTaskIds(coordinator.pushTasks(checkedTasks(req.getTasksList())))
                .build());
  }

  /**
   * Stores a phase's model sent with its tasks, as an upload of one whole chunk; a model stored by
   * an earlier attempt of the same call is kept as it is.
   */
  private void storeModel(BlobChunk model, List<Task> tasks) {
    String id = model.getBlobId();
    if (model.getOffset() != 0 || !model.getLast()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "a model sent with its tasks must be whole, in one chunk; upload a larger one first");
    }
    if (tasks.stream().noneMatch(t -> t.getModelBlobId().equals(id))) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the model sent with the tasks (blob "
              + id
              + ") is not the model of any of them; set Task.model_blob_id to its id");
    }
    if (!coordinator.ownsBlob(RESEARCHER, id)) {
      coordinator.blobs().append(RESEARCHER, model);
    }
  }

  /**
   * The tasks, once the caller is checked to own their runs and model blobs, each stamped with the
   * caller's key ({@link #withResearcherKey}).
   */
  private List<Task> checkedTasks(List<Task> pushed) {
    pushed.stream().map(Task::getRunId).distinct().forEach(access::requireRun);
    pushed.stream().map(Task::getRunId).distinct().forEach(this::touch);
    pushed.stream()
        .map(Task::getModelBlobId)
        .filter(b -> !b.isEmpty())
        .distinct()
        .forEach(access::requireBlob);
    AuthenticatedKey key = AuthenticatedKey.current();
    return pushed.stream().map(t -> withResearcherKey(t, key)).toList();
  }

  @Override
  public void pushTasksStreamResults(
      PushTasksStreamResultsRequest req, StreamObserver<ResultsMessage> out) {
    Calls.streaming(
        "PushTasksStreamResults",
        out,
        () -> {
          if (req.hasModel()) {
            storeModel(req.getModel(), req.getTasksList());
          }
          List<Task> tasks = checkedTasks(req.getTasksList());
          String runId = tasks.isEmpty() ? "" : tasks.get(0).getRunId();
          for (Task t : tasks) {
            if (!t.getRunId().equals(runId)) {
              throw new FedlinkException(
                  ErrorCode.INVALID_ARGUMENT,
                  "the tasks of one PushTasksStreamResults call must all be of one run, got "
                      + runId
                      + " and "
                      + t.getRunId()
                      + "; push each run's tasks in a call of its own");
            }
            if (t.getTaskId().isEmpty()) {
              throw new FedlinkException(
                  ErrorCode.INVALID_ARGUMENT,
                  "PushTasksStreamResults needs each task's id set by the caller (a UUID), so"
                      + " that its result can be told apart; set Task.task_id");
            }
          }
          if (tasks.isEmpty()) {
            throw new FedlinkException(
                ErrorCode.INVALID_ARGUMENT, "PushTasksStreamResults needs at least one task");
          }
          coordinator.pushTasksStreamResults(
              tasks, req.getIncludeEnvelopes(), (ServerCallStreamObserver<ResultsMessage>) out);
        });
  }

  /**
   * {@code task} with {@link TaskKeys#RESEARCHER_KEY} set to the fingerprint of the key this call
   * was authenticated with, or removed when researchers are not authenticated: a node can then
   * trust that the value names the key that pushed the task, whatever the researcher sent.
   */
  static Task withResearcherKey(Task task, AuthenticatedKey key) {
    if (key == null && !task.containsConfig(TaskKeys.RESEARCHER_KEY)) {
      return task;
    }
    Task.Builder b = task.toBuilder().removeConfig(TaskKeys.RESEARCHER_KEY);
    if (key != null) {
      b.putConfig(TaskKeys.RESEARCHER_KEY, key.fingerprint());
    }
    return b.build();
  }

  @Override
  public void streamResults(StreamResultsRequest req, StreamObserver<ResultsMessage> out) {
    Calls.streaming(
        "StreamResults",
        out,
        () -> {
          access.requireRun(req.getRunId());
          touch(req.getRunId());
          coordinator.streamResults(
              req.getRunId(),
              req.getTaskIdsList(),
              req.getIncludeEnvelopes(),
              (ServerCallStreamObserver<ResultsMessage>) out);
        });
  }

  @Override
  public void relay(RelayRequest req, StreamObserver<RelayResponse> out) {
    Calls.unary(
        "Relay",
        out,
        () -> {
          req.getEnvelopesList().stream()
              .map(Envelope::getRunId)
              .distinct()
              .forEach(access::requireRun);
          req.getEnvelopesList().stream().map(Envelope::getRunId).distinct().forEach(this::touch);
          coordinator.relay(RESEARCHER, req.getEnvelopesList());
          return RelayResponse.getDefaultInstance();
        });
  }

  @Override
  public void stopRun(StopRunRequest req, StreamObserver<StopRunResponse> out) {
    Calls.unary(
        "StopRun",
        out,
        () -> {
          access.requireRun(req.getRunId());
          coordinator.stopRun(req.getRunId());
          return StopRunResponse.getDefaultInstance();
        });
  }

  @Override
  public void getRun(GetRunStateRequest req, StreamObserver<Run> out) {
    Calls.unary(
        "GetRun",
        out,
        () -> {
          access.requireRun(req.getRunId());
          touch(req.getRunId());
          return coordinator.requireRun(req.getRunId());
        });
  }

  @Override
  public void listRuns(ListRunsRequest req, StreamObserver<ListRunsResponse> out) {
    Calls.unary(
        "ListRuns",
        out,
        () ->
            ListRunsResponse.newBuilder()
                .addAllRuns(
                    logs().runs().stream().filter(r -> RunAccess.mayUse(r.getOwner())).toList())
                .build());
  }

  @Override
  public void reportRound(ReportRoundRequest req, StreamObserver<ReportRoundResponse> out) {
    Calls.unary(
        "ReportRound",
        out,
        () -> {
          access.requireRun(req.getReport().getRunId());
          touch(req.getReport().getRunId());
          onRound.accept(logs().save(req.getReport()));
          return ReportRoundResponse.getDefaultInstance();
        });
  }

  @Override
  public void getRunLog(GetRunLogRequest req, StreamObserver<RunLog> out) {
    Calls.unary(
        "GetRunLog",
        out,
        () -> {
          // Reading a run's log does not keep it alive: a follower is not its researcher.
          access.requireRun(req.getRunId());
          return logs().log(req.getRunId(), req.getAfterRound());
        });
  }
}
