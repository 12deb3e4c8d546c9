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
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.SubscribeTasksRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.superlink.dispatch.FlowGauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that reads nothing while the SuperLink pushes it far more than fits in any buffer, over
 * real TLS: the SuperLink's buffer for that stream stays within its bound, other nodes' streams
 * keep flowing on a two-thread handler pool, and once the node reads again it gets every message.
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
    String taskId =
        fed.control()
            .pushTasks(
                PushTasksRequest.newBuilder()
                    .addTasks(
                        Task.newBuilder().setRunId(run).setNodeId(healthy.id()).setKind("train"))
                    .build())
            .getTaskIds(0);
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
