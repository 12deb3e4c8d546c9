package org.fedlink.superlink.auth;

import io.grpc.stub.StreamObserver;
import java.util.Base64;
import java.util.Objects;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.proto.v1.AuthGrpc;
import org.fedlink.proto.v1.GetSuperLinkKeyRequest;
import org.fedlink.proto.v1.GetSuperLinkKeyResponse;

/**
 * The Auth API: hands the SuperLink's authentication public key to whoever asks, without a token.
 * Nodes and researchers call it over the CA-verified TLS connection before their first signed call,
 * so they need no copy of the key (a pinned copy stays optional). The key is public; serving it
 * reveals nothing. Served only with node authentication. Thread-safe.
 */
public final class AuthService extends AuthGrpc.AuthImplBase {
  private final GetSuperLinkKeyResponse response;

  public AuthService(OpenSshPublicKey superlinkKey) {
    Objects.requireNonNull(superlinkKey, "superlinkKey");
    String line =
        superlinkKey.keyType() + " " + Base64.getEncoder().encodeToString(superlinkKey.blob());
    this.response = GetSuperLinkKeyResponse.newBuilder().setPublicKey(line).build();
  }

  @Override
  public void getSuperLinkKey(
      GetSuperLinkKeyRequest req, StreamObserver<GetSuperLinkKeyResponse> out) {
    out.onNext(response);
    out.onCompleted();
  }
}
