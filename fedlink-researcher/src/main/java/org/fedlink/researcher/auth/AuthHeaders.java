package org.fedlink.researcher.auth;

import io.grpc.Metadata;
import org.fedlink.crypto.AuthMetadata;

/** Puts {@link AuthMetadata} into gRPC headers. Stateless and thread-safe. */
final class AuthHeaders {
  private static final Metadata.Key<String> PUBLIC_KEY = key(AuthMetadata.PUBLIC_KEY_HEADER);
  private static final Metadata.Key<String> TIMESTAMP = key(AuthMetadata.TIMESTAMP_HEADER);
  private static final Metadata.Key<String> NONCE = key(AuthMetadata.NONCE_HEADER);
  private static final Metadata.Key<String> TOKEN = key(AuthMetadata.TOKEN_HEADER);

  private AuthHeaders() {}

  static Metadata of(AuthMetadata auth) {
    Metadata m = new Metadata();
    m.put(PUBLIC_KEY, auth.publicKey());
    m.put(TIMESTAMP, auth.timestamp());
    m.put(NONCE, auth.nonce());
    m.put(TOKEN, auth.token());
    return m;
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
