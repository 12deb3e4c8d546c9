package org.fedlink.bench.swarm;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.CreateNodeRequest;
import org.fedlink.proto.v1.CreateNodeResponse;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.proto.v1.HeartbeatResponse;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushResultResponse;
import org.fedlink.proto.v1.Status;
import org.fedlink.proto.v1.SubscribeTasksRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.transport.Backoff;

/**
 * One light SuperNode of a {@link Swarm}: its own TLS connection and signing key, no thread of its
 * own. It registers, subscribes to its tasks, heartbeats on the swarm's scheduler and answers each
 * task at once with a small result blob sent inline, as a node with a tiny model would. Any failure
 * ends in a new registration after the node's backoff ({@link Backoff#spread}, 0.5 s doubling to 10
 * s), as a real SuperNode does.
 */
final class SwarmNode {
  private final Swarm swarm;
  private final int index;
  private final ByteString identity;
  private final ManagedChannel channel;
  private final FleetGrpc.FleetStub stub;
  private final AtomicBoolean connecting = new AtomicBoolean();
  private volatile long nodeId;
  private volatile long firstId;
  private volatile boolean online;
  private volatile long heartbeatMs = 5000;
  // A SuperNode's reconnection policy with its defaults (0.5 s doubling to 10 s, spread).
  private final Backoff backoff = Backoff.spread(Duration.ofMillis(500), Duration.ofSeconds(10));
  private final AtomicBoolean heartbeating = new AtomicBoolean();

  SwarmNode(Swarm swarm, int index, ByteString identity, ManagedChannel channel) {
    this.swarm = swarm;
    this.index = index;
    this.identity = identity;
    this.channel = channel;
    this.stub = FleetGrpc.newStub(channel);
  }

  long nodeId() {
    return nodeId;
  }

  boolean online() {
    return online;
  }

  int index() {
    return index;
  }

  ManagedChannel channel() {
    return channel;
  }

  /**
   * Registers (again) unless a registration is already on its way, once the swarm admits it ({@link
   * Swarm#admit}: a bounded number of registrations in flight, see there).
   */
  void connect() {
    if (!connecting.compareAndSet(false, true)) {
      return;
    }
    online = false;
    swarm.admit(this::register);
  }

  private void register() {
    stub.withDeadlineAfter(60, TimeUnit.SECONDS)
        .createNode(
            CreateNodeRequest.newBuilder()
                .setIdentity(identity)
                .setComponentId("swarm-" + index)
                .build(),
            new StreamObserver<>() {
              @Override
              public void onNext(CreateNodeResponse r) {
                nodeId = r.getNodeId();
                if (r.getHeartbeatIntervalMs() > 0) {
                  heartbeatMs = r.getHeartbeatIntervalMs();
                }
                if (firstId == 0) {
                  firstId = nodeId;
                } else if (firstId != nodeId) {
                  swarm.newIds.increment();
                }
              }

              @Override
              public void onError(Throwable t) {
                swarm.release();
                swarm.failedRegistrations.increment();
                swarm.refusal(t);
                connecting.set(false);
                retry();
              }

              @Override
              public void onCompleted() {
                swarm.release();
                subscribe();
                synchronized (backoff) {
                  backoff.reset();
                }
                online = true;
                connecting.set(false);
                swarm.cameOnline(SwarmNode.this);
              }
            });
  }

  private void retry() {
    long delay;
    synchronized (backoff) {
      delay = backoff.nextDelayMs();
    }
    // The next attempt dials at once, as a SuperNode's does (it resets gRPC's own backoff), but
    // only
    // when the swarm admits it: idle, the channel does not redial in the background on gRPC's
    // backoff, so at most the admitted registrations handshake at a time on the shared event loops.
    channel.enterIdle();
    swarm.scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void subscribe() {
    long id = nodeId;
    stub.subscribeTasks(
        SubscribeTasksRequest.newBuilder().setNodeId(id).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(NodeMessage m) {
            if (m.hasTask()) {
              answer(m.getTask());
            }
          }

          @Override
          public void onError(Throwable t) {
            lost();
          }

          @Override
          public void onCompleted() {
            lost();
          }
        });
  }

  private void lost() {
    if (online) {
      online = false;
      swarm.wentOffline(this);
      retry();
    }
  }

  /** Sends one heartbeat if registered; called by the swarm's scheduler. */
  void heartbeat() {
    if (!online) {
      return;
    }
    long start = System.nanoTime();
    stub.withDeadlineAfter(30, TimeUnit.SECONDS)
        .heartbeat(
            HeartbeatRequest.newBuilder().setNodeId(nodeId).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(HeartbeatResponse r) {
                swarm.heartbeats.record(System.nanoTime() - start);
              }

              @Override
              public void onError(Throwable t) {
                swarm.failedHeartbeats.increment();
              }

              @Override
              public void onCompleted() {}
            });
  }

  /** True the first time only: the caller then schedules this node's heartbeats. */
  boolean startHeartbeats() {
    return heartbeating.compareAndSet(false, true);
  }

  long heartbeatMs() {
    return heartbeatMs;
  }

  private void answer(Task task) {
    byte[] update = new byte[248];
    ThreadLocalRandom.current().nextBytes(update);
    String blobId = UUID.randomUUID().toString();
    TaskResult result =
        TaskResult.newBuilder()
            .setTaskId(task.getTaskId())
            .setRunId(task.getRunId())
            .setNodeId(nodeId)
            .setStatus(Status.newBuilder().setCode(0))
            .setBlobId(blobId)
            .setNumExamples(10)
            .putMetrics("loss", 0.5)
            .setCreatedMs(System.currentTimeMillis())
            .setRound(task.getRound())
            .setKind(task.getKind())
            .build();
    stub.withDeadlineAfter(60, TimeUnit.SECONDS)
        .pushResult(
            PushResultRequest.newBuilder()
                .setNodeId(nodeId)
                .setResult(result)
                .setBlob(chunk(blobId, update))
                .build(),
            new StreamObserver<>() {
              @Override
              public void onNext(PushResultResponse r) {}

              @Override
              public void onError(Throwable t) {
                swarm.failedResults.increment();
              }

              @Override
              public void onCompleted() {}
            });
  }

  static BlobChunk chunk(String blobId, byte[] data) {
    try {
      return BlobChunk.newBuilder()
          .setBlobId(blobId)
          .setOffset(0)
          .setData(ByteString.copyFrom(data))
          .setLast(true)
          .setTotalSize(data.length)
          .setSha256(ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(data)))
          .build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
