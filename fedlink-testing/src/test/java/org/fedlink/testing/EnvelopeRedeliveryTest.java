package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.supernode.connection.FleetConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relayed envelopes are delivered like tasks: pending until the node acknowledges them, so one lost
 * with a broken stream reaches the node when it subscribes again.
 */
class EnvelopeRedeliveryTest {
  @TempDir Path dir;
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    deadlines.shutdownNow();
  }

  @Test
  void anEnvelopeLostWithABrokenStreamIsSentAgainUntilAcknowledged() {
    try (TestFederation f =
            TestFederation.builder(dir).nodes(1).heartbeat(Duration.ofSeconds(5)).start();
        FleetConnection node = new FleetConnection(f.endpoint(), f.caFile(), List.of());
        ControlConnection researcher =
            new ControlConnection(f.endpoint(), f.caFile(), List.of(), Duration.ofSeconds(30))) {
      byte[] identity = new byte[32];
      new SecureRandom().nextBytes(identity);
      long nodeId = node.createNode(identity, "").getNodeId();
      String runId = UUID.randomUUID().toString();
      researcher.createRun(runId, Map.of());

      // The stream breaks after the envelope went out, before the node handled it.
      Envelope lost =
          onNewStream(node, nodeId, () -> researcher.relay(List.of(envelope(runId, nodeId, "a"))));
      assertThat(lost.getTopic()).isEqualTo("a");

      Envelope again = onNewStream(node, nodeId, () -> {});
      assertThat(again.getEnvelopeId()).isEqualTo(lost.getEnvelopeId());
      List<Envelope> handled = new ArrayList<>();
      node.receive(again, handled::add);
      node.receive(again, handled::add);
      assertThat(handled).as("a copy is handled once").hasSize(1);
      node.heartbeat(nodeId);

      Envelope next =
          onNewStream(node, nodeId, () -> researcher.relay(List.of(envelope(runId, nodeId, "b"))));
      assertThat(next.getTopic()).as("the acknowledged envelope is not sent again").isEqualTo("b");
    }
  }

  /** Subscribes, runs {@code then}, returns the first envelope and breaks the stream. */
  private Envelope onNewStream(FleetConnection node, long nodeId, Runnable then) {
    Context.CancellableContext stream =
        Context.current().withDeadlineAfter(30, TimeUnit.SECONDS, deadlines);
    try {
      return stream.call(
          () -> {
            Iterator<NodeMessage> messages = node.subscribe(nodeId);
            then.run();
            while (true) {
              NodeMessage m = messages.next();
              if (m.hasEnvelope()) {
                return m.getEnvelope();
              }
            }
          });
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      stream.cancel(null);
    }
  }

  private static Envelope envelope(String runId, long to, String topic) {
    return Envelope.newBuilder()
        .setRunId(runId)
        .setToNodeId(to)
        .setTopic(topic)
        .setPayload(ByteString.copyFromUtf8(topic))
        .build();
  }
}
