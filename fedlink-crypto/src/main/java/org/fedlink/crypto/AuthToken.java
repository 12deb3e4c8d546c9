package org.fedlink.crypto;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import org.fedlink.crypto.internal.HmacSha256;

/**
 * HMAC-SHA256 request tokens: {@code HMAC(key, encode(method, timestamp, nonce, request))}.
 *
 * <p>The encoding is unambiguous: a domain tag, then each field prefixed by its length (4-byte
 * big-endian), the timestamp as 8 bytes big-endian. So no two different field tuples give the same
 * MAC input. Tokens are {@value #TOKEN_LENGTH} bytes and never truncated. Stateless and
 * thread-safe; arguments are not modified.
 */
public final class AuthToken {
  /** Length in bytes of a token. */
  public static final int TOKEN_LENGTH = HmacSha256.TAG_LENGTH;

  /** Minimum key length in bytes (the key from {@link EcdhKeyAgreement} has 32). */
  public static final int MIN_KEY_LENGTH = 32;

  private static final byte[] DOMAIN =
      "fedlink/v1 request-token".getBytes(StandardCharsets.US_ASCII);

  private AuthToken() {}

  /**
   * Computes the token of a request.
   *
   * @param method the full RPC method name, e.g. {@code fedlink.v1.Fleet/Heartbeat}
   * @param timestampMillis the sender's clock, milliseconds since the epoch
   * @param nonce the sender's random nonce
   * @param requestBytes the serialized request
   * @throws InvalidKeyException if {@code key} is shorter than {@value #MIN_KEY_LENGTH} bytes
   */
  public static byte[] compute(
      byte[] key, String method, long timestampMillis, byte[] nonce, byte[] requestBytes)
      throws InvalidKeyException {
    if (key.length < MIN_KEY_LENGTH) {
      throw new InvalidKeyException(
          "token key is " + key.length + " bytes; at least " + MIN_KEY_LENGTH + " required");
    }
    Mac mac = HmacSha256.init(key);
    field(mac, DOMAIN);
    field(mac, method.getBytes(StandardCharsets.UTF_8));
    mac.update(longBytes(timestampMillis));
    field(mac, nonce);
    field(mac, requestBytes);
    return mac.doFinal();
  }

  /**
   * Returns whether {@code token} is the token of the request, comparing in constant time. A token
   * of the wrong length is false.
   *
   * @throws InvalidKeyException if {@code key} is shorter than {@value #MIN_KEY_LENGTH} bytes
   */
  public static boolean verify(
      byte[] key,
      String method,
      long timestampMillis,
      byte[] nonce,
      byte[] requestBytes,
      byte[] token)
      throws InvalidKeyException {
    byte[] expected = compute(key, method, timestampMillis, nonce, requestBytes);
    return token != null && token.length == TOKEN_LENGTH && MessageDigest.isEqual(expected, token);
  }

  private static void field(Mac mac, byte[] value) {
    int n = value.length;
    mac.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    mac.update(value);
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }
}
