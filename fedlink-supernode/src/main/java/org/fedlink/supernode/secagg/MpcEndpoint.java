package org.fedlink.supernode.secagg;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MalformedMessageException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.SealedMessage;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.DeliverRequest;
import org.fedlink.proto.v1.DeliverResponse;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.MpcGrpc;

/**
 * A node's MPC endpoint for {@code [mpc] transport = direct}: a gRPC server on {@code [mpc]
 * ip:port} that requires mutual TLS, presents this node's MPC certificate and accepts only clients
 * presenting a certificate registered in this node's party directory ({@link PinnedTrustManager}).
 * Delivered share envelopes go to the same sink as relayed ones; every payload must be a sealed
 * message whose sender is the TLS-authenticated component, so one registered peer cannot file
 * messages under another's name. Thread-safe; {@link #close()} stops it.
 */
final class MpcEndpoint implements AutoCloseable {
  private static final Context.Key<String> PEER = Context.key("fedlink-mpc-peer");

  private final Server server;

  private MpcEndpoint(Server server) {
    this.server = server;
  }

  /**
   * Starts listening.
   *
   * @param sink receives every accepted envelope (the share mailbox)
   * @throws FedlinkException (CONFIGURATION) if the TLS material is unusable or the address cannot
   *     be bound
   */
  static MpcEndpoint start(
      MpcIdentity identity,
      DirectTransportSettings direct,
      SecureAggregationSettings settings,
      Consumer<Envelope> sink) {
    String where = direct.host() + ":" + direct.port();
    try {
      TlsServerCredentials.Builder tls =
          TlsServerCredentials.newBuilder()
              .keyManager(MpcTls.keyManager(identity, direct.certificate()))
              .trustManager(PinnedTrustManager.registered(settings.parties()))
              .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      Server s =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(direct.host(), direct.port()), tls.build())
              .addService(ServerInterceptors.intercept(new Service(sink), new PeerInterceptor()))
              .build()
              .start();
      return new MpcEndpoint(s);
    } catch (GeneralSecurityException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use the MPC certificate and key for the direct transport: "
              + e.getMessage()
              + "; check [mpc] public_key and private_key");
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot listen on [mpc] ip:port "
              + where
              + " for the direct MPC transport: "
              + e.getMessage()
              + "; choose a free port (FEDLINK_MPC_PORT) or use transport = relay");
    }
  }

  /** The port listened on (the chosen one when started with port 0). */
  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Puts the component id of the client's (already pinned) certificate into the Context. */
  private static final class PeerInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        if (tls == null) {
          throw new SSLPeerUnverifiedException("no TLS session");
        }
        Certificate[] chain = tls.getPeerCertificates();
        String component = MpcTls.componentOf((X509Certificate) chain[0]);
        return Contexts.interceptCall(
            Context.current().withValue(PEER, component), call, headers, next);
      } catch (SSLPeerUnverifiedException | CertificateException | ClassCastException e) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("no verified MPC client certificate"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
  }

  private static final class Service extends MpcGrpc.MpcImplBase {
    private final Consumer<Envelope> sink;

    Service(Consumer<Envelope> sink) {
      this.sink = sink;
    }

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverResponse> response) {
      String peer = PEER.get();
      for (Envelope e : request.getEnvelopesList()) {
        String problem = check(e, peer);
        if (problem != null) {
          response.onError(Status.PERMISSION_DENIED.withDescription(problem).asRuntimeException());
          return;
        }
      }
      request.getEnvelopesList().forEach(sink);
      response.onNext(DeliverResponse.getDefaultInstance());
      response.onCompleted();
    }

    private static String check(Envelope e, String peer) {
      if (!e.getTopic().equals(SecAggKeys.TOPIC_SHARE)) {
        return "topic '" + e.getTopic() + "' is not accepted; only " + SecAggKeys.TOPIC_SHARE;
      }
      try {
        String sender = SealedMessage.fromBytes(e.getPayload().toByteArray()).senderId();
        if (!sender.equals(peer)) {
          return "envelope sealed by component '"
              + sender
              + "' delivered by component '"
              + peer
              + "'; a component delivers only its own messages";
        }
        return null;
      } catch (MalformedMessageException ex) {
        return "malformed sealed message: " + ex.getMessage();
      }
    }
  }
}
