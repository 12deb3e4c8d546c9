package org.fedlink.transport;

import io.grpc.Metadata;
import org.fedlink.crypto.AuthMetadata;

/**
 * The gRPC headers that carry a call's {@link AuthMetadata}, written by clients and read by the
 * SuperLink. Stateless and thread-safe.
 */
public final class AuthHeaders {
  public static final Metadata.Key<String> PUBLIC_KEY = key(AuthMetadata.PUBLIC_KEY_HEADER);
  public static final Metadata.Key<String> TIMESTAMP = key(AuthMetadata.TIMESTAMP_HEADER);
  public static final Metadata.Key<String> NONCE = key(AuthMetadata.NONCE_HEADER);
  public static final Metadata.Key<String> TOKEN = key(AuthMetadata.TOKEN_HEADER);

  private AuthHeaders() {}

  /** Headers holding {@code auth}. */
  public static Metadata of(AuthMetadata auth) {
    Metadata m = new Metadata();
    m.put(PUBLIC_KEY, auth.publicKey());
    m.put(TIMESTAMP, auth.timestamp());
    m.put(NONCE, auth.nonce());
    m.put(TOKEN, auth.token());
    return m;
  }

  /** The metadata found in {@code headers}; absent headers are null fields. */
  public static AuthMetadata read(Metadata headers) {
    return new AuthMetadata(
        headers.get(PUBLIC_KEY), headers.get(TIMESTAMP), headers.get(NONCE), headers.get(TOKEN));
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
