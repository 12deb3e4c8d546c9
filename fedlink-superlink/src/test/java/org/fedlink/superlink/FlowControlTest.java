package org.fedlink.superlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.DownloadBlobRequest;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.StreamResultsRequest;
import org.fedlink.proto.v1.SubscribeTasksRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.superlink.dispatch.FlowGauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that read nothing while the SuperLink pushes them far more than fits in any buffer, over
 * real TLS: a node's task stream, a researcher's result stream and a download. The SuperLink's
 * buffer for each stays within its bound, other streams keep flowing on a two-thread handler pool,
 * and once a node reads again it gets every message.
 */
class FlowControlTest {
  private static final int BOUND = 8;
  private static final int PAYLOAD = 16 * 1024;
  private static final int FLOOD = 100;

  @TempDir Path dir;
  private TlsLink fed;
  private ManagedChannel stalledChannel;

  @BeforeEach
  void start() throws Exception {
    fed = new TlsLink(dir, b -> b.streamBuffer(BOUND, 1024 * 1024).handlers(2, 1000));
    // A small HTTP/2 window, so the transport stops taking data soon after the reader stops.
    stalledChannel =
        NettyChannelBuilder.forAddress(
                "localhost",
                fed.link.port(),
                TlsChannelCredentials.newBuilder()
                    .trustManager(fed.tls.caCertificate().toFile())
                    .build())
            .flowControlWindow(64 * 1024)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    stalledChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    fed.close();
  }

  private static RelayRequest envelopeTo(String run, long node) {
    return RelayRequest.newBuilder()
        .addEnvelopes(
            Envelope.newBuilder()
                .setRunId(run)
                .setToNodeId(node)
                .setTopic("flood")
                .setPayload(ByteString.copyFrom(new byte[PAYLOAD])))
        .build();
  }

  /** Subscribes without ever asking for a message; returns once the stream is open. */
  private ClientCall<SubscribeTasksRequest, NodeMessage> subscribeWithoutReading(
      long node, String run) throws InterruptedException {
    ClientCall<SubscribeTasksRequest, NodeMessage> call =
        stalledChannel.newCall(FleetGrpc.getSubscribeTasksMethod(), CallOptions.DEFAULT);
    CountDownLatch open = new CountDownLatch(1);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata headers) {
            open.countDown();
          }
        },
        new Metadata());
    call.sendMessage(SubscribeTasksRequest.newBuilder().setNodeId(node).build());
    call.halfClose();
    // The headers come with the first message: one pending envelope proves the stream is open.
    fed.control().relay(envelopeTo(run, node));
    assertThat(open.await(20, TimeUnit.SECONDS)).as("stream opened").isTrue();
    return call;
  }

  @Test
  void aStalledNodeGetsABoundedBufferAndOthersKeepFlowing() throws Exception {
    TlsLink.Node stalled = fed.node();
    TlsLink.Node healthy = fed.node();
    String run = fed.createRun("flood");
    ClientCall<SubscribeTasksRequest, NodeMessage> call =
        subscribeWithoutReading(stalled.id(), run);
    Iterator<NodeMessage> healthyStream =
        healthy
            .fleet()
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .subscribeTasks(SubscribeTasksRequest.newBuilder().setNodeId(healthy.id()).build());

    for (int i = 0; i < FLOOD; i++) {
      fed.control().relay(envelopeTo(run, stalled.id()));
    }

    FlowGauge gauge = fed.link.flowGauge();
    // 100 x 16 KiB is far beyond a 64 KiB window: the stream filled, and never held more than
    // its bound.
    assertThat(gauge.overflows()).isGreaterThanOrEqualTo(1);
    assertThat(gauge.peakStreamMessages()).isLessThanOrEqualTo(BOUND);
    assertThat(gauge.bufferedMessages()).isLessThanOrEqualTo(BOUND);
    assertThat(gauge.peakStreamBytes()).isLessThanOrEqualTo(BOUND * (PAYLOAD + 1024L));

    // The healthy node's stream and the other calls still work while the stalled one is full.
    String taskId = pushTask(run, healthy.id());
    assertThat(healthyStream.next().getTask().getTaskId()).isEqualTo(taskId);
    call.cancel("the test is done with this stream", null);

    // Everything refused stayed pending: reading again (and acknowledging, as nodes do in their
    // heartbeats) the node gets every envelope.
    assertThat(readEverything(stalled)).hasSize(FLOOD + 1);
  }

  @Test
  void aDownloadOfManyChunksArrivesWhole() {
    byte[] data = new byte[3 * 1024 * 1024 + 5];
    new java.util.Random(7).nextBytes(data);
    String blob = fed.researcherBlob(data);

    Iterator<org.fedlink.proto.v1.BlobChunk> chunks =
        fed.control()
            .downloadBlob(
                org.fedlink.proto.v1.DownloadBlobRequest.newBuilder().setBlobId(blob).build());

    assertThat(org.fedlink.transport.BlobTransfer.download(blob, chunks)).isEqualTo(data);
  }

  @Test
  void aStalledDownloadHoldsOneChunkNotTheWholeBlob() throws Exception {
    String blob = fed.researcherBlob(new byte[8 * 1024 * 1024]);
    ClientCall<DownloadBlobRequest, BlobChunk> call =
        stalledChannel.newCall(ControlGrpc.getDownloadBlobMethod(), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new Metadata());
    call.sendMessage(DownloadBlobRequest.newBuilder().setBlobId(blob).build());
    call.halfClose();
    FlowGauge gauge = fed.link.flowGauge();

    awaitCondition(() -> gauge.pausedDownloads() == 1, "the download waits for its reader");
    // Of 8 chunks, the SuperLink wrote what fills the transport, then stopped reading the file.
    assertThat(gauge.downloadChunks()).isBetween(1L, 2L);

    call.cancel("the test is done with this download", null);
    awaitCondition(() -> gauge.pausedDownloads() == 0, "the cancelled download is let go");
    assertThat(gauge.downloadChunks()).isBetween(1L, 2L);
  }

  @Test
  void aStalledResearcherStreamGetsABoundedBufferAndOtherRunsKeepFlowing() throws Exception {
    TlsLink.Node node = fed.node();
    String run = fed.createRun("stalled");
    String other = fed.createRun("flowing");
    pushTask(run, node.id());
    ClientCall<StreamResultsRequest, ResultsMessage> call =
        stalledChannel.newCall(ControlGrpc.getStreamResultsMethod(), CallOptions.DEFAULT);
    CountDownLatch open = new CountDownLatch(1);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata headers) {
            open.countDown();
          }
        },
        new Metadata());
    call.sendMessage(
        StreamResultsRequest.newBuilder().setRunId(run).setIncludeEnvelopes(true).build());
    call.halfClose();
    RelayRequest toResearcher = envelopeTo(run, 0).toBuilder().setNodeId(node.id()).build();
    node.call().relay(toResearcher);
    assertThat(open.await(20, TimeUnit.SECONDS)).as("stream opened").isTrue();

    for (int i = 0; i < FLOOD; i++) {
      node.call().relay(toResearcher);
    }

    FlowGauge gauge = fed.link.flowGauge();
    assertThat(gauge.overflows()).isGreaterThanOrEqualTo(1);
    assertThat(gauge.peakStreamMessages()).isLessThanOrEqualTo(BOUND);
    assertThat(gauge.bufferedMessages()).isLessThanOrEqualTo(BOUND);
    // Another run's results still reach their researcher stream.
    String taskId = pushTask(other, node.id());
    node.call()
        .pushResult(
            PushResultRequest.newBuilder()
                .setNodeId(node.id())
                .setResult(TaskResult.newBuilder().setTaskId(taskId).setNumExamples(3))
                .build());
    Iterator<ResultsMessage> results =
        fed.control()
            .streamResults(
                StreamResultsRequest.newBuilder().setRunId(other).addTaskIds(taskId).build());
    assertThat(results.next().getResult().getNumExamples()).isEqualTo(3);
    call.cancel("the test is done with this stream", null);
  }

  private String pushTask(String run, long node) {
    return fed.control()
        .pushTasks(
            PushTasksRequest.newBuilder()
                .addTasks(Task.newBuilder().setRunId(run).setNodeId(node).setKind("train"))
                .build())
        .getTaskIds(0);
  }

  /** Waits until {@code condition} holds, failing after 20 s. */
  private static void awaitCondition(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** Subscribes, reads and acknowledges until every envelope came; returns the ids received. */
  private Set<String> readEverything(TlsLink.Node node) {
    Set<String> received = new HashSet<>();
    for (int attempt = 0; attempt < 100 && received.size() < FLOOD + 1; attempt++) {
      Iterator<NodeMessage> stream =
          node.fleet()
              .withDeadlineAfter(20, TimeUnit.SECONDS)
              .subscribeTasks(SubscribeTasksRequest.newBuilder().setNodeId(node.id()).build());
      Set<String> batch = new HashSet<>();
      try {
        while (received.size() + batch.size() < FLOOD + 1) {
          NodeMessage m = stream.next();
          if (m.hasEnvelope() && !received.contains(m.getEnvelope().getEnvelopeId())) {
            batch.add(m.getEnvelope().getEnvelopeId());
          }
        }
      } catch (StatusRuntimeException e) {
        // A full stream ends with ABORTED once drained: subscribe again for the rest.
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
      }
      received.addAll(batch);
      node.call()
          .heartbeat(
              HeartbeatRequest.newBuilder()
                  .setNodeId(node.id())
                  .addAllReceivedEnvelopeIds(batch)
                  .build());
    }
    return received;
  }
}
