package org.fedlink.crypto.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import org.fedlink.crypto.Hkdf;

/**
 * The AES-128 key of one mask stream and whether it is added or subtracted. Derived with
 * HKDF-SHA256 from a 32-byte secret (a pairwise Diffie-Hellman secret or a self-mask seed) and a
 * context naming the scheme, the session, the round and the pair, so no two masks ever share a key.
 * {@link #toString()} never shows the key. Immutable.
 */
public final class MaskKey {
  /**
   * Bytes of a mask key: AES-128. The secrets behind the keys come from X25519 (about 128-bit
   * security), so a 256-bit key would add no strength, while AES-128 generates a third more
   * keystream per second than AES-256 (10 rounds instead of 14).
   */
  public static final int KEY_BYTES = 16;

  private final byte[] key;
  private final boolean negate;

  private MaskKey(byte[] key, boolean negate) {
    this.key = key;
    this.negate = negate;
  }

  /**
   * The mask key for {@code secret} in {@code context}.
   *
   * @param negate true to subtract the stream instead of adding it
   * @throws GeneralSecurityException if the secret is shorter than 32 bytes
   */
  public static MaskKey derive(byte[] secret, String context, boolean negate)
      throws GeneralSecurityException {
    if (secret.length < 32) {
      throw new java.security.InvalidKeyException(
          "mask secret of " + secret.length + " bytes; at least 32 are needed");
    }
    byte[] prk = Hkdf.extract("fedlink/mask/v1".getBytes(StandardCharsets.US_ASCII), secret);
    return new MaskKey(
        Hkdf.expand(prk, context.getBytes(StandardCharsets.UTF_8), KEY_BYTES), negate);
  }

  /** A key used as given ({@value #KEY_BYTES} bytes), for tests and benchmarks of the stream. */
  public static MaskKey raw(byte[] key, boolean negate) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "AES-128 key of " + key.length + " bytes; " + KEY_BYTES + " needed");
    }
    return new MaskKey(key.clone(), negate);
  }

  byte[] key() {
    return key;
  }

  public boolean negate() {
    return negate;
  }

  /** Constant-time equality of the keys (and the sign). */
  public boolean sameAs(MaskKey other) {
    return negate == other.negate && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public String toString() {
    return "MaskKey[" + (negate ? "-" : "+") + ", key hidden]";
  }
}
