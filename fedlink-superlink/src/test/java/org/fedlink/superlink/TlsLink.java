package org.fedlink.superlink;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateNodeRequest;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.UploadChunkRequest;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;

/**
 * A SuperLink over real TLS on a loopback port, without node authentication, and helpers to dial it
 * as nodes (each its own channel, as real nodes are) and as the researcher.
 */
final class TlsLink implements AutoCloseable {
  final DevelopmentCa.CaFiles tls;
  final SuperLink link;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ManagedChannel controlChannel;

  TlsLink(Path dir, UnaryOperator<SuperLink.Builder> settings) throws Exception {
    tls = DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    link =
        settings
            .apply(
                SuperLink.builder()
                    .address(new Endpoint("127.0.0.1", 0))
                    .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
                    .home(dir.resolve("superlink"))
                    // Nodes here do not send heartbeats; none goes offline during a test.
                    .heartbeatInterval(java.time.Duration.ofMinutes(5)))
            .build()
            .start();
    controlChannel = channel();
  }

  ManagedChannel channel() {
    ManagedChannel c =
        ClientChannels.open(new Endpoint("localhost", link.port()), tls.caCertificate(), List.of());
    channels.add(c);
    return c;
  }

  ControlGrpc.ControlBlockingStub control() {
    return ControlGrpc.newBlockingStub(controlChannel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** A registered node on its own channel. */
  Node node() {
    FleetGrpc.FleetBlockingStub fleet = FleetGrpc.newBlockingStub(channel());
    byte[] identity = new byte[32];
    new SecureRandom().nextBytes(identity);
    long id =
        fleet
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .createNode(
                CreateNodeRequest.newBuilder().setIdentity(ByteString.copyFrom(identity)).build())
            .getNodeId();
    return new Node(id, fleet);
  }

  String createRun(String id) {
    return control()
        .createRun(CreateRunRequest.newBuilder().putConfig("run_id", id).build())
        .getRunId();
  }

  /** Uploads {@code data} as the researcher and returns the new blob's id. */
  String researcherBlob(byte[] data) {
    String id = BlobTransfer.newBlobId();
    BlobTransfer.upload(
        id,
        data,
        c ->
            control()
                .uploadChunk(UploadChunkRequest.newBuilder().setChunk(c).build())
                .getReceived());
    return id;
  }

  @Override
  public void close() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
    link.close();
  }

  /** A node as the SuperLink knows it: its id and a Fleet stub on its own channel. */
  record Node(long id, FleetGrpc.FleetBlockingStub fleet) {
    FleetGrpc.FleetBlockingStub call() {
      return fleet.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** Uploads {@code data} as this node and returns the new blob's id. */
    String upload(byte[] data) {
      String blob = BlobTransfer.newBlobId();
      BlobTransfer.upload(
          blob,
          data,
          c ->
              call()
                  .uploadChunk(UploadChunkRequest.newBuilder().setNodeId(id).setChunk(c).build())
                  .getReceived());
      return blob;
    }
  }
}
