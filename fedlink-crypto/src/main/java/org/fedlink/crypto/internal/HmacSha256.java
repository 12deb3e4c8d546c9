package org.fedlink.crypto.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK {@link Mac}, accepting any key length including empty (which
 * {@link javax.crypto.spec.SecretKeySpec} refuses), with constant-time verification of full or
 * truncated tags. Stateless and thread-safe.
 */
public final class HmacSha256 {
  /** Length in bytes of a full tag. */
  public static final int TAG_LENGTH = 32;

  private HmacSha256() {}

  /** Returns a {@link Mac} initialised with {@code key}. */
  public static Mac init(byte[] key) throws InvalidKeyException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new RawKey(key));
      return mac;
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides HmacSHA256", e);
    }
  }

  /** Returns the 32-byte tag of {@code message}. */
  public static byte[] compute(byte[] key, byte[] message) throws InvalidKeyException {
    return init(key).doFinal(message);
  }

  /**
   * Returns whether {@code tag} equals the first {@code tag.length} bytes of the tag of {@code
   * message}, compared in constant time. Tags shorter than {@code minTagLength} or longer than 32
   * bytes are refused (false).
   */
  public static boolean verify(byte[] key, byte[] message, byte[] tag, int minTagLength)
      throws InvalidKeyException {
    if (tag.length < minTagLength || tag.length > TAG_LENGTH) {
      return false;
    }
    byte[] full = compute(key, message);
    byte[] prefix = java.util.Arrays.copyOf(full, tag.length);
    return MessageDigest.isEqual(prefix, tag);
  }

  /** A secret key that keeps the bytes as given, even when empty. */
  private static final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    RawKey(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public String getAlgorithm() {
      return "HmacSHA256";
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return bytes.clone();
    }
  }
}
