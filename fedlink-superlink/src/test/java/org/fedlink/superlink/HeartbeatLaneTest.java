package org.fedlink.superlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.proto.v1.ListNodesRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeats do not wait behind other calls: with every handler thread held by slow calls (here one
 * thread, held by a call the test blocks; in production thousands of registrations deriving keys
 * after a restart), a node's heartbeat is still answered, over real TLS.
 */
class HeartbeatLaneTest {
  @TempDir Path dir;
  private TlsLink fed;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch held = new CountDownLatch(1);
  private volatile boolean blocking;

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (fed != null) {
      fed.close();
    }
  }

  @Test
  void aHeartbeatIsAnsweredWhileEveryHandlerThreadIsBusy() throws Exception {
    ServerInterceptor holdListNodes =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            if (blocking && call.getMethodDescriptor().getFullMethodName().endsWith("/ListNodes")) {
              held.countDown();
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return next.startCall(call, headers);
          }
        };
    fed = new TlsLink(dir, b -> b.handlers(1, 10).controlInterceptor(holdListNodes));
    TlsLink.Node node = fed.node();
    blocking = true;
    // The one handler thread is now held by this call until the test releases it.
    var pending =
        org.fedlink.proto.v1.ControlGrpc.newFutureStub(fed.channel())
            .listNodes(ListNodesRequest.getDefaultInstance());
    assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();

    FleetGrpc.FleetBlockingStub fleet = node.fleet().withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThat(
            fleet
                .heartbeat(HeartbeatRequest.newBuilder().setNodeId(node.id()).build())
                .getHeartbeatIntervalMs())
        .isPositive();
    assertThat(pending.isDone()).isFalse();

    release.countDown();
    assertThat(pending.get(20, TimeUnit.SECONDS).getNodesList())
        .anyMatch(n -> n.getNodeId() == node.id());
  }
}
