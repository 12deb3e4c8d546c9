package org.fedlink.supernode.connection;

import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.CreateNodeRequest;
import org.fedlink.proto.v1.CreateNodeResponse;
import org.fedlink.proto.v1.DeleteNodeRequest;
import org.fedlink.proto.v1.DownloadBlobRequest;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.proto.v1.HeartbeatResponse;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.SubscribeTasksRequest;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.SmallBlobs;

/**
 * The node's calls to the Fleet API over one channel. Methods throw {@link StatusRuntimeException}
 * for the caller's retry loop to judge. Thread-safe.
 */
public final class FleetConnection implements AutoCloseable {
  private static final long UNARY_DEADLINE_S = 60;
  private final ManagedChannel channel;
  private final FleetGrpc.FleetBlockingStub stub;
  private final FleetGrpc.FleetStub async;
  private final SmallBlobs inline = new SmallBlobs(64L * 1024 * 1024);
  private final EnvelopeReceipts receipts = new EnvelopeReceipts();

  public FleetConnection(Endpoint superlink, Path rootCertificates, List<ClientInterceptor> auth) {
    this(superlink, rootCertificates, auth, ClientChannels.DEFAULT_CONNECTION_TIMEOUT);
  }

  /**
   * A connection dropped, and dialed again by the next call, once the SuperLink has been silent for
   * {@code connectionTimeout} (see {@link ClientChannels#open(Endpoint, Path, List,
   * java.time.Duration)}).
   */
  public FleetConnection(
      Endpoint superlink,
      Path rootCertificates,
      List<ClientInterceptor> auth,
      java.time.Duration connectionTimeout) {
    this.channel = ClientChannels.open(superlink, rootCertificates, auth, connectionTimeout);
    this.stub = FleetGrpc.newBlockingStub(channel);
    this.async = FleetGrpc.newStub(channel);
  }

  private FleetGrpc.FleetBlockingStub unary() {
    return stub.withDeadlineAfter(UNARY_DEADLINE_S, TimeUnit.SECONDS);
  }

  /** Lets the next call try to connect at once instead of waiting out the channel's backoff. */
  public void resetBackoff() {
    channel.resetConnectBackoff();
  }

  /**
   * Registers (or finds again) the node of {@code identity}; {@code componentId} is the id of its
   * configuration, shown beside the node id, or empty.
   */
  public CreateNodeResponse createNode(byte[] identity, String componentId) {
    return unary()
        .createNode(
            CreateNodeRequest.newBuilder()
                .setIdentity(ByteString.copyFrom(identity))
                .setComponentId(componentId)
                .build());
  }

  /** Sends a heartbeat that acknowledges the envelopes handled since the last one. */
  public HeartbeatResponse heartbeat(long nodeId) {
    List<String> acknowledged = receipts.take();
    try {
      return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
          .heartbeat(
              HeartbeatRequest.newBuilder()
                  .setNodeId(nodeId)
                  .addAllReceivedEnvelopeIds(acknowledged)
                  .build());
    } catch (RuntimeException e) {
      receipts.putBack(acknowledged);
      throw e;
    }
  }

  /**
   * Handles an envelope from the stream once: calls {@code handler} unless its id was handled
   * before, then queues its acknowledgement for the next heartbeat (also for a copy sent again
   * because the acknowledgement was lost). If {@code handler} throws, the envelope stays
   * unacknowledged and is handled again when the SuperLink sends it again.
   */
  public void receive(Envelope envelope, java.util.function.Consumer<Envelope> handler) {
    if (!receipts.wasHandled(envelope.getEnvelopeId())) {
      handler.accept(envelope);
    }
    receipts.handled(envelope.getEnvelopeId());
  }

  public void deleteNode(long nodeId) {
    stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .deleteNode(DeleteNodeRequest.newBuilder().setNodeId(nodeId).build());
  }

  /**
   * Opens the node's stream of tasks and envelopes; {@code observer} is called from gRPC's threads,
   * one message at a time. Holds no thread while waiting.
   */
  public void subscribe(long nodeId, io.grpc.stub.StreamObserver<NodeMessage> observer) {
    async.subscribeTasks(SubscribeTasksRequest.newBuilder().setNodeId(nodeId).build(), observer);
  }

  /**
   * Opens the stream as {@link #subscribe(long, io.grpc.stub.StreamObserver)} does, with {@code
   * observer} called on {@code callbacks}: {@code directExecutor()} runs it on the transport's own
   * thread, which an observer may only use for work that never blocks.
   */
  public void subscribe(
      long nodeId,
      io.grpc.stub.StreamObserver<NodeMessage> observer,
      java.util.concurrent.Executor callbacks) {
    async
        .withExecutor(callbacks)
        .subscribeTasks(SubscribeTasksRequest.newBuilder().setNodeId(nodeId).build(), observer);
  }

  /** The node's stream of tasks and envelopes; blocks in {@code hasNext()} until one arrives. */
  public Iterator<NodeMessage> subscribe(long nodeId) {
    return stub.subscribeTasks(SubscribeTasksRequest.newBuilder().setNodeId(nodeId).build());
  }

  /** Keeps a blob the SuperLink sent inline with a task, for the download it replaces. */
  public void acceptInline(BlobChunk chunk) {
    inline.accept(chunk);
  }

  public byte[] download(long nodeId, String blobId) {
    byte[] sent = inline.take(blobId);
    if (sent != null) {
      return sent;
    }
    return BlobTransfer.download(
        blobId,
        unary()
            .downloadBlob(
                DownloadBlobRequest.newBuilder().setNodeId(nodeId).setBlobId(blobId).build()));
  }

  /** Uploads {@code data} as a new blob; returns its id. */
  public String upload(long nodeId, byte[] data) {
    return upload(nodeId, BlobTransfer.newBlobId(), data);
  }

  /** Uploads {@code data} as blob {@code id}. */
  public String upload(long nodeId, String id, byte[] data) {
    BlobTransfer.upload(
        id,
        data,
        chunk ->
            unary()
                .uploadChunk(
                    UploadChunkRequest.newBuilder().setNodeId(nodeId).setChunk(chunk).build())
                .getReceived());
    return id;
  }

  /**
   * Pushes a result; {@code inlineBlob}, if not null, is the result's blob, small enough to travel
   * in the same call.
   */
  public void pushResult(long nodeId, TaskResult result, byte[] inlineBlob) {
    PushResultRequest.Builder req =
        PushResultRequest.newBuilder().setNodeId(nodeId).setResult(result);
    if (inlineBlob != null) {
      req.setBlob(SmallBlobs.wholeChunk(result.getBlobId(), inlineBlob));
    }
    unary().pushResult(req.build());
  }

  public void relay(long nodeId, List<Envelope> envelopes) {
    unary().relay(RelayRequest.newBuilder().setNodeId(nodeId).addAllEnvelopes(envelopes).build());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
