package org.fedlink.superlink.fleet;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.CreateNodeRequest;
import org.fedlink.proto.v1.CreateNodeResponse;
import org.fedlink.proto.v1.DeleteNodeRequest;
import org.fedlink.proto.v1.DeleteNodeResponse;
import org.fedlink.proto.v1.DownloadBlobRequest;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.GetRunRequest;
import org.fedlink.proto.v1.GetRunResponse;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.proto.v1.HeartbeatResponse;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushResultRequest;
import org.fedlink.proto.v1.PushResultResponse;
import org.fedlink.proto.v1.RelayRequest;
import org.fedlink.proto.v1.RelayResponse;
import org.fedlink.proto.v1.SubscribeTasksRequest;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.proto.v1.UploadChunkResponse;
import org.fedlink.superlink.Calls;
import org.fedlink.superlink.dispatch.BlobDownload;
import org.fedlink.superlink.dispatch.Coordinator;
import org.fedlink.superlink.state.NodeRecord;

/** The Fleet API: what SuperNodes call. Every call names its node, checked by the coordinator. */
public final class FleetService extends FleetGrpc.FleetImplBase {
  private final Coordinator coordinator;

  public FleetService(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public void createNode(CreateNodeRequest req, StreamObserver<CreateNodeResponse> out) {
    Calls.unary(
        "CreateNode",
        out,
        () -> {
          NodeRecord node =
              coordinator.createNode(req.getIdentity().toByteArray(), req.getComponentId());
          return CreateNodeResponse.newBuilder()
              .setNodeId(node.nodeId())
              .setHeartbeatIntervalMs(coordinator.heartbeatIntervalMs())
              .build();
        });
  }

  @Override
  public void deleteNode(DeleteNodeRequest req, StreamObserver<DeleteNodeResponse> out) {
    Calls.unary(
        "DeleteNode",
        out,
        () -> {
          coordinator.deleteNode(req.getNodeId());
          return DeleteNodeResponse.getDefaultInstance();
        });
  }

  @Override
  public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> out) {
    Calls.unary(
        "Heartbeat",
        out,
        () -> {
          coordinator.requireNode(req.getNodeId());
          coordinator.acknowledgeEnvelopes(req.getNodeId(), req.getReceivedEnvelopeIdsList());
          return HeartbeatResponse.newBuilder()
              .setHeartbeatIntervalMs(coordinator.heartbeatIntervalMs())
              .build();
        });
  }

  @Override
  public void subscribeTasks(SubscribeTasksRequest req, StreamObserver<NodeMessage> out) {
    Calls.streaming(
        "SubscribeTasks",
        out,
        () -> {
          coordinator.subscribe(req.getNodeId(), (ServerCallStreamObserver<NodeMessage>) out);
        });
  }

  @Override
  public void uploadChunk(UploadChunkRequest req, StreamObserver<UploadChunkResponse> out) {
    Calls.unary(
        "UploadChunk",
        out,
        () -> {
          coordinator.requireNode(req.getNodeId());
          long received = coordinator.blobs().append(req.getNodeId(), req.getChunk());
          return UploadChunkResponse.newBuilder().setReceived(received).build();
        });
  }

  @Override
  public void downloadBlob(DownloadBlobRequest req, StreamObserver<BlobChunk> out) {
    Calls.streaming(
        "DownloadBlob",
        out,
        () -> {
          coordinator.requireNode(req.getNodeId());
          coordinator.requireNodeMayRead(req.getNodeId(), req.getBlobId());
          BlobDownload.start(
              coordinator.blobs().reader(req.getBlobId()), out, coordinator.flowGauge());
        });
  }

  @Override
  public void pushResult(PushResultRequest req, StreamObserver<PushResultResponse> out) {
    Calls.unary(
        "PushResult",
        out,
        () -> {
          coordinator.requireNode(req.getNodeId());
          if (req.hasBlob()) {
            BlobChunk c = req.getBlob();
            if (!c.getBlobId().equals(req.getResult().getBlobId())
                || c.getOffset() != 0
                || !c.getLast()) {
              throw new FedlinkException(
                  ErrorCode.INVALID_ARGUMENT,
                  "an inline result blob must be the result's blob, whole, in one chunk");
            }
            if (!coordinator.ownsBlob(req.getNodeId(), c.getBlobId())) {
              try {
                coordinator.blobs().append(req.getNodeId(), c);
              } catch (FedlinkException e) {
                if (e.code() == ErrorCode.RESOURCE_EXHAUSTED) {
                  // The result cannot be stored: its task fails now, with the reason.
                  coordinator.failTask(req.getNodeId(), req.getResult().getTaskId(), e);
                }
                throw e;
              }
            }
          }
          coordinator.pushResult(req.getNodeId(), req.getResult());
          return PushResultResponse.getDefaultInstance();
        });
  }

  @Override
  public void getRun(GetRunRequest req, StreamObserver<GetRunResponse> out) {
    Calls.unary(
        "GetRun",
        out,
        () -> {
          coordinator.requireNode(req.getNodeId());
          return GetRunResponse.newBuilder().setRun(coordinator.requireRun(req.getRunId())).build();
        });
  }

  @Override
  public void relay(RelayRequest req, StreamObserver<RelayResponse> out) {
    Calls.unary(
        "Relay",
        out,
        () -> {
          coordinator.requireNode(req.getNodeId());
          coordinator.relay(req.getNodeId(), req.getEnvelopesList());
          return RelayResponse.getDefaultInstance();
        });
  }
}
