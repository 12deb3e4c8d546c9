package org.fedlink.crypto;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The server side of node authentication. For each request it checks, in this order: the metadata
 * parses; the public key is known; the HMAC matches (constant time) under the key shared with that
 * public key; the timestamp is inside the replay window; the nonce is new for that key. Nonces are
 * remembered only for requests whose HMAC matched, so unauthenticated traffic cannot fill the
 * cache, and per key ({@link KeyedNonceCache}), so one key's flood cannot make another key's calls
 * fail.
 *
 * <p>Shared keys come from a {@link SharedKeys}: derived on first use unless derived ahead or
 * restored, and never kept for a key that is not known. On a known-keys reload, call {@link
 * #withKnownKeys}: the new verifier shares the nonce caches (re-shared among the new keys) and the
 * shared keys (those of keys still known). Thread-safe.
 */
public final class TokenVerifier {
  /** Accepted nonce lengths in bytes. */
  public static final int MIN_NONCE_LENGTH = 16;

  public static final int MAX_NONCE_LENGTH = 64;

  private final KeyPair own;
  private final KnownKeys knownKeys;
  private final Map<ByteBuffer, OpenSshPublicKey> byBlob;
  private final SharedKeys derived;
  private final KeyedNonceCache nonces;
  private final LongSupplier clockMillis;

  /** Creates a verifier using the system clock. */
  public TokenVerifier(KeyPair own, KnownKeys knownKeys, KeyedNonceCache nonces) {
    this(own, knownKeys, nonces, System::currentTimeMillis);
  }

  /** Creates a verifier with an explicit clock (epoch milliseconds). */
  public TokenVerifier(
      KeyPair own, KnownKeys knownKeys, KeyedNonceCache nonces, LongSupplier clockMillis) {
    this(own, knownKeys, nonces, clockMillis, new SharedKeys(own, knownKeys.keys()));
  }

  private TokenVerifier(
      KeyPair own,
      KnownKeys knownKeys,
      KeyedNonceCache nonces,
      LongSupplier clockMillis,
      SharedKeys derived) {
    this.own = own;
    this.knownKeys = knownKeys;
    this.nonces = nonces;
    this.clockMillis = clockMillis;
    this.byBlob = new HashMap<>();
    for (OpenSshPublicKey k : knownKeys.keys()) {
      byBlob.put(ByteBuffer.wrap(k.blob()), k);
    }
    this.derived = derived;
  }

  /**
   * Returns a verifier for new known keys sharing this one's nonce caches (their shares recomputed
   * for the new list), clock and own key.
   */
  public TokenVerifier withKnownKeys(KnownKeys newKnownKeys) {
    nonces.retain(newKnownKeys, clockMillis.getAsLong());
    derived.allow(newKnownKeys.keys());
    return new TokenVerifier(own, newKnownKeys, nonces, clockMillis, derived);
  }

  /**
   * The keys shared with the known keys, for deriving them ahead of their first call or restoring
   * them after a restart; the same object across {@link #withKnownKeys}.
   */
  public SharedKeys sharedKeys() {
    return derived;
  }

  /** The verifier's clock, in epoch milliseconds. */
  public long nowMillis() {
    return clockMillis.getAsLong();
  }

  /** Returns the known keys this verifier accepts. */
  public KnownKeys knownKeys() {
    return knownKeys;
  }

  /**
   * Verifies one request.
   *
   * @param method the full RPC method name the request was received on
   * @param requestBytes the serialized request exactly as received
   * @param metadata the four authentication values; any may be {@code null} (then MALFORMED)
   * @return the verified identity
   * @throws TokenRejectedException with the precise reason if any check fails
   */
  public VerifiedNode verify(String method, byte[] requestBytes, AuthMetadata metadata)
      throws TokenRejectedException {
    if (metadata == null
        || metadata.publicKey() == null
        || metadata.timestamp() == null
        || metadata.nonce() == null
        || metadata.token() == null) {
      throw reject(RejectionReason.MALFORMED, "missing authentication metadata " + metadata);
    }
    String[] keyFields = metadata.publicKey().strip().split("\\s+", 3);
    byte[] blob = base64(keyFields.length >= 2 ? keyFields[1] : "", "public key");
    OpenSshPublicKey known = byBlob.get(ByteBuffer.wrap(blob));
    if (known == null) {
      throw reject(
          RejectionReason.UNKNOWN_KEY, "key " + KeyFingerprint.sha256(blob) + " not known");
    }
    if (!keyFields[0].equals(known.keyType())) {
      throw reject(
          RejectionReason.MALFORMED,
          "key type field '" + keyFields[0] + "' does not match key " + known);
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(metadata.timestamp());
    } catch (NumberFormatException e) {
      throw reject(RejectionReason.MALFORMED, "timestamp is not decimal epoch milliseconds");
    }
    byte[] nonce = base64(metadata.nonce(), "nonce");
    if (nonce.length < MIN_NONCE_LENGTH || nonce.length > MAX_NONCE_LENGTH) {
      throw reject(
          RejectionReason.MALFORMED,
          "nonce is "
              + nonce.length
              + " bytes; allowed "
              + MIN_NONCE_LENGTH
              + ".."
              + MAX_NONCE_LENGTH);
    }
    byte[] token = base64(metadata.token(), "token");
    if (token.length != AuthToken.TOKEN_LENGTH) {
      throw reject(
          RejectionReason.MALFORMED,
          "token is " + token.length + " bytes; " + AuthToken.TOKEN_LENGTH + " required");
    }
    byte[] key = sharedKey(known, blob);
    try {
      if (!AuthToken.verify(key, method, timestamp, nonce, requestBytes, token)) {
        throw reject(RejectionReason.BAD_HMAC, "token mismatch for " + known + " on " + method);
      }
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("derived key has the required length", e);
    }
    long now = clockMillis.getAsLong();
    switch (nonces.check(blob, nonce, timestamp, now)) {
      case FRESH:
        return new VerifiedNode(known, timestamp);
      case STALE:
        throw reject(RejectionReason.STALE_TIMESTAMP, skew(known, timestamp, now));
      case FUTURE:
        throw reject(RejectionReason.FUTURE_TIMESTAMP, skew(known, timestamp, now));
      case REPLAYED:
        throw reject(RejectionReason.REPLAYED_NONCE, "nonce reused by " + known);
      default:
        throw reject(
            RejectionReason.REPLAY_CACHE_FULL,
            "the replay cache share of "
                + known
                + " is full ("
                + nonces.share()
                + " unexpired nonces in the window); its request is refused, other keys are not"
                + " affected");
    }
  }

  private byte[] sharedKey(OpenSshPublicKey known, byte[] blob) throws TokenRejectedException {
    try {
      return derived.get(known);
    } catch (InvalidKeyException e) {
      throw reject(
          RejectionReason.UNKNOWN_KEY,
          "known key " + known + " cannot agree a key with the server key: " + e.getMessage());
    }
  }

  private static byte[] base64(String value, String what) throws TokenRejectedException {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw reject(RejectionReason.MALFORMED, what + " is not valid base64");
    }
  }

  private static String skew(OpenSshPublicKey known, long timestamp, long now) {
    return "timestamp " + timestamp + " is " + (timestamp - now) + " ms from now for " + known;
  }

  private static TokenRejectedException reject(RejectionReason reason, String detail) {
    return new TokenRejectedException(reason, detail);
  }
}
