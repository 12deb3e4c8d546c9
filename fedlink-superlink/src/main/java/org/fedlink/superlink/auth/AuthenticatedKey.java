package org.fedlink.superlink.auth;

import io.grpc.Context;

/**
 * The identity an authentication interceptor verified for the current call, passed to the services
 * through the gRPC {@link Context}. Absent when authentication is off.
 *
 * @param identity the key the caller proved it holds, exactly as the node sends it in {@code
 *     CreateNode}
 * @param fingerprint display form, e.g. {@code SHA256:...}
 */
public record AuthenticatedKey(byte[] identity, String fingerprint) {
  /** Set by an authentication interceptor for the duration of a verified call. */
  public static final Context.Key<AuthenticatedKey> CONTEXT_KEY =
      Context.key("fedlink-authenticated-key");

  /** The key verified for the current call, or null when authentication is off. */
  public static AuthenticatedKey current() {
    return CONTEXT_KEY.get();
  }
}
