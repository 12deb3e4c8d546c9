package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedlink.superlink.auth.AuthFederation.createNode;
import static org.fedlink.superlink.auth.AuthFederation.signing;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.crypto.KeyFingerprint;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.DownloadBlobRequest;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.StopRunRequest;
import org.fedlink.proto.v1.StreamResultsRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.transport.BlobTransfer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run belongs to the researcher key that created it: over real TLS, a second listed researcher
 * can neither read its results or blobs, push tasks into it, relay into it, stop it nor take over
 * its id, and each refusal is PERMISSION_DENIED naming the run but not the owner's key.
 */
class RunOwnershipTest {
  private static final String RUN = "run-of-a";

  @TempDir Path dir;
  private AuthFederation fed;
  private ControlGrpc.ControlBlockingStub owner;
  private ControlGrpc.ControlBlockingStub other;
  private String ownerFingerprint;
  private long nodeId;
  private String modelBlob;
  private String taskId;

  @BeforeEach
  void start() throws Exception {
    fed = new AuthFederation(dir);
    fed.start(fed.authentication().build());
    owner = fed.control(fed.researcher);
    other = fed.control(fed.otherResearcher);
    ownerFingerprint = KeyFingerprint.sha256(AuthFederation.blob(fed.researcher));
    FleetGrpc.FleetBlockingStub node = fed.fleet(signing(fed.signer(fed.nodeA)));
    nodeId = node.createNode(createNode(fed.nodeA)).getNodeId();

    assertThat(owner.createRun(createRun(RUN)).getRunId()).isEqualTo(RUN);
    modelBlob = BlobTransfer.newBlobId();
    BlobTransfer.upload(
        modelBlob,
        new byte[] {1, 2, 3},
        c -> owner.uploadChunk(UploadChunkRequest.newBuilder().setChunk(c).build()).getReceived());
    taskId = owner.pushTasks(push(RUN)).getTaskIds(0);
    node.pushResult(
        PushResultRequest.newBuilder()
            .setNodeId(nodeId)
            .setResult(TaskResult.newBuilder().setTaskId(taskId).setNumExamples(7))
            .build());
  }

  @AfterEach
  void stop() {
    fed.close();
  }

  private static CreateRunRequest createRun(String id) {
    return CreateRunRequest.newBuilder().putConfig("run_id", id).build();
  }

  private PushTasksRequest push(String run) {
    return push(run, modelBlob);
  }

  private PushTasksRequest push(String run, String model) {
    return PushTasksRequest.newBuilder()
        .addTasks(
            Task.newBuilder()
                .setRunId(run)
                .setNodeId(nodeId)
                .setKind("train")
                .setModelBlobId(model))
        .build();
  }

  private static StreamResultsRequest results(String taskId) {
    return StreamResultsRequest.newBuilder().setRunId(RUN).addTaskIds(taskId).build();
  }

  private void assertPermissionDenied(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(s.getDescription()).contains(RUN).doesNotContain(ownerFingerprint);
            });
  }

  @Test
  void otherResearcherCannotReadTheResults() {
    assertPermissionDenied(() -> other.streamResults(results(taskId)).hasNext());
    Iterator<ResultsMessage> mine = owner.streamResults(results(taskId));
    List<TaskResult> got =
        java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(mine, 0), false)
            .filter(ResultsMessage::hasResult)
            .map(ResultsMessage::getResult)
            .toList();
    assertThat(got).singleElement().satisfies(r -> assertThat(r.getNumExamples()).isEqualTo(7));
  }

  @Test
  void otherResearcherCannotDownloadTheRunsBlobs() {
    DownloadBlobRequest req = DownloadBlobRequest.newBuilder().setBlobId(modelBlob).build();
    assertPermissionDenied(() -> other.downloadBlob(req).hasNext());
    Iterator<BlobChunk> mine = owner.downloadBlob(req);
    assertThat(BlobTransfer.download(modelBlob, mine)).containsExactly(1, 2, 3);
  }

  @Test
  void otherResearcherCannotPushTasksIntoTheRun() {
    assertPermissionDenied(() -> other.pushTasks(push(RUN)));
    assertThat(owner.pushTasks(push(RUN)).getTaskIdsCount()).isEqualTo(1);
  }

  @Test
  void otherResearcherCannotRelayIntoTheRun() {
    RelayRequest relay =
        RelayRequest.newBuilder()
            .addEnvelopes(
                Envelope.newBuilder()
                    .setRunId(RUN)
                    .setToNodeId(nodeId)
                    .setTopic("t")
                    .setPayload(ByteString.copyFromUtf8("x")))
            .build();
    assertPermissionDenied(() -> other.relay(relay));
    owner.relay(relay);
  }

  @Test
  void otherResearcherCannotStopTheRun() {
    StopRunRequest stop = StopRunRequest.newBuilder().setRunId(RUN).build();
    assertPermissionDenied(() -> other.stopRun(stop));
    owner.stopRun(stop);
  }

  @Test
  void otherResearcherCannotTakeOverTheRunId() {
    assertPermissionDenied(() -> other.createRun(createRun(RUN)));
    // The owner's retried call stays harmless, and the other key can make runs of its own.
    assertThat(owner.createRun(createRun(RUN)).getRunId()).isEqualTo(RUN);
    String own = other.createRun(createRun("run-of-b")).getRunId();
    assertThat(other.pushTasks(push(own, "")).getTaskIdsCount()).isEqualTo(1);
    // Nor can it hand the run's model to its own tasks.
    assertPermissionDenied(() -> other.pushTasks(push(own, modelBlob)));
  }

  private static org.fedlink.proto.v1.ReportRoundRequest report(String run, int round) {
    return org.fedlink.proto.v1.ReportRoundRequest.newBuilder()
        .setReport(
            org.fedlink.proto.v1.RoundReport.newBuilder()
                .setRunId(run)
                .setRound(round)
                .setRounds(3)
                .setNodes(1)
                .putMetrics("val_accuracy", 0.5)
                .setSeconds(0.25))
        .build();
  }

  private static org.fedlink.proto.v1.GetRunLogRequest log(String run) {
    return org.fedlink.proto.v1.GetRunLogRequest.newBuilder().setRunId(run).build();
  }

  @Test
  void eachResearcherListsOnlyItsOwnRuns() {
    other.createRun(createRun("run-of-b"));
    var ownerRuns =
        owner.listRuns(org.fedlink.proto.v1.ListRunsRequest.getDefaultInstance()).getRunsList();
    assertThat(ownerRuns).extracting(r -> r.getRun().getRunId()).containsExactly(RUN);
    assertThat(ownerRuns.get(0).getOwner()).isEqualTo(ownerFingerprint);
    assertThat(ownerRuns.get(0).getNodes()).isEqualTo(1);
    assertThat(
            other.listRuns(org.fedlink.proto.v1.ListRunsRequest.getDefaultInstance()).getRunsList())
        .extracting(r -> r.getRun().getRunId())
        .containsExactly("run-of-b");
  }

  @Test
  void otherResearcherCannotReadOrWriteTheRunLog() {
    owner.reportRound(report(RUN, 1));
    assertPermissionDenied(() -> other.getRunLog(log(RUN)));
    assertPermissionDenied(() -> other.reportRound(report(RUN, 2)));
    var mine = owner.getRunLog(log(RUN));
    assertThat(mine.getRoundsList())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getRound()).isEqualTo(1);
              assertThat(r.getMetricsMap()).containsEntry("val_accuracy", 0.5);
              assertThat(r.getReportedMs()).isPositive();
            });
    assertThat(mine.getSummary().getRound()).isEqualTo(1);
  }

  @Test
  void roundReportsOutOfBoundsAreRefused() {
    assertThatThrownBy(() -> owner.reportRound(report(RUN, 0)))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("round 0 is out of range");
    var bloated = report(RUN, 1).toBuilder();
    for (int i = 0; i < 40; i++) {
      bloated.getReportBuilder().putMetrics("m" + i, i);
    }
    assertThatThrownBy(() -> owner.reportRound(bloated.build()))
        .hasMessageContaining("41 metrics in a round report: at most 32");
    var badName = report(RUN, 1).toBuilder();
    badName.getReportBuilder().putMetrics("\u001b[2Jx", 1);
    assertThatThrownBy(() -> owner.reportRound(badName.build()))
        .hasMessageContaining("metric name of");
    owner.stopRun(StopRunRequest.newBuilder().setRunId(RUN).build());
    assertThatThrownBy(() -> owner.reportRound(report(RUN, 1)))
        .hasMessageContaining("FAILED_PRECONDITION")
        .hasMessageContaining("is stopped");
  }
}
