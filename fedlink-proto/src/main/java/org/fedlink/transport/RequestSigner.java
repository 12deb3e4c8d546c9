package org.fedlink.transport;

import io.grpc.Metadata;

/**
 * Produces the authentication headers of one request (see {@link SigningInterceptor}).
 * Implementations must be thread-safe: calls of one channel sign concurrently.
 */
@FunctionalInterface
public interface RequestSigner {
  /**
   * Returns the headers that authenticate this request.
   *
   * @param fullMethodName e.g. {@code fedlink.v1.Fleet/Heartbeat}
   * @param requestBytes {@link SignedBytes#of} the request
   */
  Metadata sign(String fullMethodName, byte[] requestBytes);
}
