package org.fedlink.transport;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Opens the gRPC channels with which nodes and researchers dial the SuperLink. */
public final class ClientChannels {
  /** Largest message either side accepts; blobs travel in chunks well below it. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /**
   * How long a connection may leave data unacknowledged, or a keepalive ping unanswered, before it
   * is dropped: gRPC's own default.
   */
  public static final java.time.Duration DEFAULT_CONNECTION_TIMEOUT =
      java.time.Duration.ofSeconds(20);

  private ClientChannels() {}

  /**
   * A channel to {@code endpoint}. With {@code rootCertificates} the server's certificate must
   * chain to that CA file (never trusted on first use); with {@code null} the channel is plain
   * text, for {@code --insecure} development only.
   *
   * @throws FedlinkException if the CA file is missing or unreadable
   */
  public static ManagedChannel open(
      Endpoint endpoint, Path rootCertificates, List<ClientInterceptor> interceptors) {
    return open(endpoint, rootCertificates, interceptors, DEFAULT_CONNECTION_TIMEOUT);
  }

  /**
   * A channel as {@link #open(Endpoint, Path, List)} whose connection is dropped once the SuperLink
   * has been silent for {@code connectionTimeout}: data sent and not acknowledged for that long
   * (the socket's {@code TCP_USER_TIMEOUT}, which gRPC sets to its keepalive timeout), or a
   * keepalive ping unanswered for that long. Calls on the dropped connection fail with UNAVAILABLE
   * and the next one dials again, instead of waiting for TCP to give up on a dead link.
   */
  public static ManagedChannel open(
      Endpoint endpoint,
      Path rootCertificates,
      List<ClientInterceptor> interceptors,
      java.time.Duration connectionTimeout) {
    if (endpoint.isInProcess()) {
      // No network: nothing to encrypt, and no socket or event loop per channel.
      return InProcessChannelBuilder.forName(endpoint.inProcessName())
          .maxInboundMessageSize(MAX_MESSAGE_BYTES)
          .intercept(interceptors)
          .build();
    }
    ChannelCredentials credentials;
    if (rootCertificates == null) {
      credentials = InsecureChannelCredentials.create();
    } else {
      if (!Files.isReadable(rootCertificates)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "root certificates file " + rootCertificates + " does not exist or is not readable");
      }
      try {
        credentials =
            TlsChannelCredentials.newBuilder().trustManager(rootCertificates.toFile()).build();
      } catch (IOException | IllegalArgumentException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "root certificates file "
                + rootCertificates
                + " is not a PEM certificate: "
                + e.getMessage(),
            e);
      }
    }
    return NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port(), credentials)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .intercept(interceptors)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveWithoutCalls(true)
        .build();
  }
}
