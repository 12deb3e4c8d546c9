package org.fedlink.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import org.fedlink.crypto.internal.HmacSha256;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), built over {@link Mac} because Java 17 has no HKDF API.
 * Stateless and thread-safe. Arguments are not modified; results are fresh arrays.
 */
public final class Hkdf {
  /** Length in bytes of SHA-256 output, and of a pseudorandom key from {@link #extract}. */
  public static final int HASH_LENGTH = 32;

  /** The largest output {@link #expand} can produce: 255 blocks of 32 bytes. */
  public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

  private Hkdf() {}

  /**
   * HKDF-Extract: PRK = HMAC-SHA256(salt, ikm).
   *
   * @param salt the salt; {@code null} or empty means 32 zero bytes, as RFC 5869 specifies
   * @param ikm the input keying material (may be empty)
   * @return the 32-byte pseudorandom key
   */
  public static byte[] extract(byte[] salt, byte[] ikm) throws InvalidKeyException {
    byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    return HmacSha256.compute(s, ikm);
  }

  /**
   * HKDF-Expand: the first {@code length} bytes of T(1) || T(2) || ..., where T(i) =
   * HMAC-SHA256(prk, T(i-1) || info || i).
   *
   * @param prk the pseudorandom key, at least 32 bytes
   * @param info context and application specific information ({@code null} means empty)
   * @param length output length, 0 to {@value #MAX_OUTPUT_LENGTH}
   * @throws InvalidAlgorithmParameterException if {@code length} is out of range
   * @throws InvalidKeyException if {@code prk} is shorter than 32 bytes
   */
  public static byte[] expand(byte[] prk, byte[] info, int length)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (length < 0 || length > MAX_OUTPUT_LENGTH) {
      throw new InvalidAlgorithmParameterException(
          "HKDF-SHA256 output length "
              + length
              + " not in the allowed range 0.."
              + MAX_OUTPUT_LENGTH);
    }
    if (prk.length < HASH_LENGTH) {
      throw new InvalidKeyException(
          "HKDF pseudorandom key is " + prk.length + " bytes; at least " + HASH_LENGTH + " needed");
    }
    Mac mac = HmacSha256.init(prk);
    byte[] in = info == null ? new byte[0] : info;
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    for (int i = 1, off = 0; off < length; i++) {
      mac.update(t);
      mac.update(in);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - off);
      System.arraycopy(t, 0, out, off, n);
      off += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }

  /**
   * Extract then expand.
   *
   * @throws InvalidAlgorithmParameterException if {@code length} is out of range
   * @throws GeneralSecurityException if the MAC cannot be initialised
   */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length)
      throws GeneralSecurityException {
    byte[] prk = extract(salt, ikm);
    try {
      return expand(prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }
}
