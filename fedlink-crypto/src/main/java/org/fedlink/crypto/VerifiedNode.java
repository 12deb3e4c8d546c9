package org.fedlink.crypto;

/**
 * The identity of a request that passed {@link TokenVerifier#verify}: the known public key it was
 * signed for. Only the verifier creates instances, so holding one proves the check happened.
 * Immutable and thread-safe.
 */
public final class VerifiedNode {
  private final OpenSshPublicKey publicKey;
  private final long timestampMillis;

  VerifiedNode(OpenSshPublicKey publicKey, long timestampMillis) {
    this.publicKey = publicKey;
    this.timestampMillis = timestampMillis;
  }

  /** Returns the node's public key as listed in the known keys (with its comment). */
  public OpenSshPublicKey publicKey() {
    return publicKey;
  }

  /** Returns the key's {@code SHA256:} fingerprint, a stable identifier of the node. */
  public String fingerprint() {
    return publicKey.fingerprint();
  }

  /** Returns the request's authenticated timestamp, epoch milliseconds. */
  public long timestampMillis() {
    return timestampMillis;
  }

  @Override
  public String toString() {
    return "VerifiedNode[" + publicKey + "]";
  }
}
