package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedlink.proto.v1.FleetGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's heartbeat keeps beating through failures of any kind. */
class HeartbeatTest {
  @TempDir Path dir;

  @Test
  void heartbeatContinuesAfterAnUnexpectedException() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger registrations = new AtomicInteger();
    CountDownLatch beatsAfterFailures = new CountDownLatch(2);
    ClientInterceptor failingTwice =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            if (method.equals(FleetGrpc.getCreateNodeMethod())) {
              registrations.incrementAndGet();
            }
            if (method.equals(FleetGrpc.getHeartbeatMethod())) {
              if (calls.incrementAndGet() <= 2) {
                // Not a StatusRuntimeException: what a bug in a signing interceptor would throw.
                throw new IllegalStateException("signing failed");
              }
              beatsAfterFailures.countDown();
            }
            return next.newCall(method, options);
          }
        };
    try (TestFederation f =
        TestFederation.builder(dir)
            .nodes(1)
            .heartbeat(Duration.ofMillis(100))
            .nodeSettings((i, node) -> node.interceptor(failingTwice))
            .start()) {
      f.awaitOnline(1, Duration.ofSeconds(30));
      assertThat(beatsAfterFailures.await(30, TimeUnit.SECONDS))
          .as("heartbeats after two failed ones (calls so far: %s)", calls)
          .isTrue();
      // Had the heartbeat stopped, the SuperLink would have declared the node offline and the node
      // would have registered again to restart it.
      assertThat(registrations.get()).as("registrations").isEqualTo(1);
      assertThat(f.node(0).lastError()).isNull();
    }
  }
}
