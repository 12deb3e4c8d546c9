package org.fedlink.supernode.secagg;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.proto.v1.DeliverRequest;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.MpcGrpc;

/**
 * Sends sealed envelopes straight to a peer's MPC endpoint at the ip:port registered for it, over
 * mutual TLS: this node presents its MPC certificate, and trusts only the peer's registered
 * certificate ({@link PinnedTrustManager#only}), so no CA, DNS entry or host name is trusted. One
 * short-lived connection per delivery. Stateless and thread-safe.
 */
final class DirectSender {
  private final MpcIdentity identity;
  private final DirectTransportSettings direct;
  private final Duration timeout;

  DirectSender(MpcIdentity identity, DirectTransportSettings direct, Duration timeout) {
    this.identity = identity;
    this.direct = direct;
    this.timeout = timeout;
  }

  /**
   * Delivers {@code envelopes} to {@code peer} (node {@code peerNode}).
   *
   * @throws FedlinkException UNAVAILABLE naming the node, component and address if the peer has no
   *     registered endpoint, cannot be reached, fails TLS or refuses the envelopes
   */
  void send(long peerNode, RegisteredParty peer, List<Envelope> envelopes) {
    String where = peer.ip() + ":" + peer.port();
    if (peer.ip().isEmpty() || peer.port() == 0) {
      throw failed(peerNode, peer, where, "no MPC ip and port are registered for it");
    }
    ChannelCredentials tls;
    try {
      tls =
          TlsChannelCredentials.newBuilder()
              .keyManager(MpcTls.keyManager(identity, direct.certificate()))
              .trustManager(PinnedTrustManager.only(peer))
              .build();
    } catch (GeneralSecurityException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use this node's MPC certificate and key for the direct transport: "
              + e.getMessage());
    }
    ManagedChannel channel = Grpc.newChannelBuilderForAddress(peer.ip(), peer.port(), tls).build();
    try {
      MpcGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .deliver(DeliverRequest.newBuilder().addAllEnvelopes(envelopes).build());
    } catch (StatusRuntimeException e) {
      throw failed(peerNode, peer, where, describe(e));
    } finally {
      channel.shutdownNow();
    }
  }

  private static String describe(StatusRuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String status = e.getStatus().getCode() + " " + e.getStatus().getDescription();
    return root != e && root.getMessage() != null ? status + ": " + root.getMessage() : status;
  }

  private static FedlinkException failed(
      long peerNode, RegisteredParty peer, String where, String why) {
    return new FedlinkException(
        ErrorCode.UNAVAILABLE,
        "cannot deliver a key share directly to node "
            + peerNode
            + " (component "
            + peer.componentId()
            + ") at its registered MPC address "
            + where
            + ": "
            + why
            + ". Check that the node runs with [mpc] transport = direct, that its ip and port"
            + " are registered here, and that both sides registered each other's current"
            + " certificate");
  }
}
