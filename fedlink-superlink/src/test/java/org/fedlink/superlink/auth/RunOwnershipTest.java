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
}
