package org.fedlink.superlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.StreamResultsRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.transport.BlobTransfer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each quota of the SuperLink over real TLS: the call past the limit is RESOURCE_EXHAUSTED naming
 * the limit and its key, the call at the limit passes, and other parties are not affected.
 */
class QuotasTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  @TempDir Path dir;
  private TlsLink fed;

  private TlsLink start(Quotas quotas) throws Exception {
    fed = new TlsLink(dir, b -> b.quotas(quotas));
    return fed;
  }

  @AfterEach
  void stop() throws Exception {
    if (fed != null) {
      fed.close();
    }
  }

  private static Quotas quotas(
      int blobMb, int runBlobMb, int uploads, int envelopeKb, int envelopes) {
    return Quotas.fromKeys(blobMb, runBlobMb, uploads, envelopeKb, envelopes);
  }

  private static void assertExhausted(ThrowingCallable call, String limit) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(s.getDescription()).contains(limit);
            });
  }

  private static UploadChunkRequest firstChunk(long node, String blob, int bytes) {
    return UploadChunkRequest.newBuilder()
        .setNodeId(node)
        .setChunk(
            BlobChunk.newBuilder()
                .setBlobId(blob)
                .setOffset(0)
                .setData(ByteString.copyFrom(new byte[bytes])))
        .build();
  }

  private static PushTasksRequest task(String run, long node, String model) {
    return PushTasksRequest.newBuilder()
        .addTasks(
            Task.newBuilder().setRunId(run).setNodeId(node).setKind("train").setModelBlobId(model))
        .build();
  }

  private static RelayRequest relay(long from, String run, long to, int payloadBytes) {
    return RelayRequest.newBuilder()
        .setNodeId(from)
        .addEnvelopes(
            Envelope.newBuilder()
                .setRunId(run)
                .setToNodeId(to)
                .setTopic("share")
                .setPayload(ByteString.copyFrom(new byte[payloadBytes])))
        .build();
  }

  @Test
  void refusesABlobLargerThanMaxBlobMb() throws Exception {
    TlsLink.Node node = start(quotas(1, 64, 4, 64, 100)).node();

    assertExhausted(() -> node.upload(new byte[MIB + 1]), "[superlink] max_blob_mb = 1");
    assertExhausted(() -> fed.researcherBlob(new byte[MIB + 1]), "[superlink] max_blob_mb = 1");

    String whole = node.upload(new byte[MIB]);
    assertThat(fed.link.coordinator().ownsBlob(node.id(), whole)).isTrue();
  }

  @Test
  void refusesANewUploadPastMaxUploadsPerNodeButNotOtherNodes() throws Exception {
    start(quotas(8, 64, 2, 64, 100));
    TlsLink.Node busy = fed.node();
    TlsLink.Node other = fed.node();
    String first = BlobTransfer.newBlobId();
    busy.call().uploadChunk(firstChunk(busy.id(), first, 10));
    busy.call().uploadChunk(firstChunk(busy.id(), BlobTransfer.newBlobId(), 10));

    assertExhausted(
        () -> busy.call().uploadChunk(firstChunk(busy.id(), BlobTransfer.newBlobId(), 10)),
        "[superlink] max_uploads_per_node = 2");
    // Restarting an upload in progress is not a new one; another node has its own allowance.
    assertThat(busy.call().uploadChunk(firstChunk(busy.id(), first, 20)).getReceived())
        .isEqualTo(20);
    assertThat(other.upload(new byte[100])).isNotEmpty();
    // The researcher's uploads are not counted against nodes.
    assertThat(fed.researcherBlob(new byte[100])).isNotEmpty();
  }

  @Test
  void refusesTasksWhoseModelsPassTheRunsBlobTotal() throws Exception {
    start(quotas(2, 1, 4, 64, 100));
    TlsLink.Node node = fed.node();
    String run = fed.createRun("run-a");
    String a = fed.researcherBlob(new byte[600 * KIB]);
    String b = fed.researcherBlob(new byte[600 * KIB]);

    assertThat(fed.control().pushTasks(task(run, node.id(), a)).getTaskIdsCount()).isEqualTo(1);
    assertExhausted(
        () -> fed.control().pushTasks(task(run, node.id(), b)), "[superlink] max_run_blob_mb = 1");
    // A model the run already references costs nothing more; another run has its own total.
    assertThat(fed.control().pushTasks(task(run, node.id(), a)).getTaskIdsCount()).isEqualTo(1);
    String other = fed.createRun("run-b");
    assertThat(fed.control().pushTasks(task(other, node.id(), b)).getTaskIdsCount()).isEqualTo(1);
  }

  @Test
  void refusesAResultBlobThatPassesTheRunsTotalAndTellsTheResearcher() throws Exception {
    start(quotas(2, 1, 4, 64, 100));
    TlsLink.Node node = fed.node();
    String run = fed.createRun("run-a");
    String model = fed.researcherBlob(new byte[600 * KIB]);
    String taskId = fed.control().pushTasks(task(run, node.id(), model)).getTaskIds(0);
    String update = node.upload(new byte[600 * KIB]);

    assertExhausted(
        () ->
            node.call()
                .pushResult(
                    PushResultRequest.newBuilder()
                        .setNodeId(node.id())
                        .setResult(TaskResult.newBuilder().setTaskId(taskId).setBlobId(update))
                        .build()),
        "[superlink] max_run_blob_mb = 1");

    Iterator<ResultsMessage> results =
        fed.control()
            .streamResults(
                StreamResultsRequest.newBuilder().setRunId(run).addTaskIds(taskId).build());
    List<TaskResult> got = new ArrayList<>();
    results.forEachRemaining(m -> got.add(m.getResult()));
    assertThat(got)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getStatus().getCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED.code());
              assertThat(r.getStatus().getMessage()).contains("[superlink] max_run_blob_mb = 1");
            });
    // The refused update does not stay behind on the SuperLink's disk.
    assertThat(fed.link.coordinator().ownsBlob(node.id(), update)).isFalse();
  }

  @Test
  void refusesAnEnvelopeLargerThanMaxEnvelopeKb() throws Exception {
    start(quotas(2, 64, 4, 1, 100));
    TlsLink.Node a = fed.node();
    TlsLink.Node b = fed.node();
    String run = fed.createRun("run-a");
    fed.control().pushTasks(task(run, a.id(), ""));
    fed.control().pushTasks(task(run, b.id(), ""));

    assertExhausted(
        () -> a.call().relay(relay(a.id(), run, b.id(), KIB + 1)),
        "[superlink] max_envelope_kb = 1");
    a.call().relay(relay(a.id(), run, b.id(), KIB));
  }

  @Test
  void refusesEnvelopesPastMaxEnvelopesPerRunButNotInOtherRuns() throws Exception {
    start(quotas(2, 64, 4, 64, 3));
    TlsLink.Node a = fed.node();
    String run = fed.createRun("run-a");
    String other = fed.createRun("run-b");
    fed.control().pushTasks(task(run, a.id(), ""));
    fed.control().pushTasks(task(other, a.id(), ""));
    for (int i = 0; i < 3; i++) {
      a.call().relay(relay(a.id(), run, 0, 10));
    }

    assertExhausted(
        () -> a.call().relay(relay(a.id(), run, 0, 10)), "[superlink] max_envelopes_per_run = 3");
    a.call().relay(relay(a.id(), other, 0, 10));
  }

  @Test
  void relaysOnlyBetweenParticipantsOfTheSameRun() throws Exception {
    start(Quotas.defaults());
    TlsLink.Node a = fed.node();
    TlsLink.Node b = fed.node();
    TlsLink.Node outsider = fed.node();
    String run = fed.createRun("run-ab");
    String elsewhere = fed.createRun("run-outsider");
    fed.control().pushTasks(task(run, a.id(), ""));
    fed.control().pushTasks(task(run, b.id(), ""));
    fed.control().pushTasks(task(elsewhere, outsider.id(), ""));

    a.call().relay(relay(a.id(), run, b.id(), 10));
    a.call().relay(relay(a.id(), run, 0, 10));
    assertDenied(() -> a.call().relay(relay(a.id(), run, outsider.id(), 10)), run);
    assertDenied(() -> outsider.call().relay(relay(outsider.id(), run, a.id(), 10)), run);
    assertDenied(() -> a.call().relay(relay(a.id(), elsewhere, outsider.id(), 10)), elsewhere);
  }

  private static void assertDenied(ThrowingCallable call, String run) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(s.getDescription()).contains("run " + run);
            });
  }

  @Test
  void limitsOutsideWhatTheirKeyAllowsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> quotas(0, 64, 4, 64, 100))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("[superlink] max_blob_mb = 0");
    assertThatThrownBy(() -> quotas(8, 64, 0, 64, 100))
        .hasMessageContaining("[superlink] max_uploads_per_node = 0");
    assertThat(Quotas.defaults().maxEnvelopeBytes()).isEqualTo(4 * MIB);
  }
}
