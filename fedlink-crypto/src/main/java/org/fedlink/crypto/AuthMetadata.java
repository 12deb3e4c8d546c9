package org.fedlink.crypto;

/**
 * The four values that authenticate one request, as they travel in call metadata (all ASCII, so
 * they fit gRPC ASCII headers).
 *
 * @param publicKey the sender's OpenSSH public key line without comment, e.g. {@code
 *     ecdsa-sha2-nistp384 AAAA...}
 * @param timestamp the sender's clock in decimal epoch milliseconds
 * @param nonce base64 (standard, padded) of the random nonce
 * @param token base64 (standard, padded) of the {@link AuthToken} HMAC
 */
public record AuthMetadata(String publicKey, String timestamp, String nonce, String token) {
  /** Metadata key of {@link #publicKey()}. */
  public static final String PUBLIC_KEY_HEADER = "fedlink-public-key";

  /** Metadata key of {@link #timestamp()}. */
  public static final String TIMESTAMP_HEADER = "fedlink-timestamp";

  /** Metadata key of {@link #nonce()}. */
  public static final String NONCE_HEADER = "fedlink-nonce";

  /** Metadata key of {@link #token()}. */
  public static final String TOKEN_HEADER = "fedlink-token";

  /**
   * Trailer of a refusal for a timestamp outside the window (sent only to a caller whose token
   * verified): the SuperLink's clock minus the caller's timestamp, in decimal milliseconds.
   */
  public static final String CLOCK_SKEW_TRAILER = "fedlink-clock-skew-ms";

  /** Returns the fields with the token masked, safe to log. */
  @Override
  public String toString() {
    return "AuthMetadata[publicKey="
        + publicKey
        + ", timestamp="
        + timestamp
        + ", nonce="
        + nonce
        + ", token=***]";
  }
}
