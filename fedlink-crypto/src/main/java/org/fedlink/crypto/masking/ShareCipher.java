package org.fedlink.crypto.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the secret shares SecAgg+ nodes send each other through the aggregator: output is
 * IV (12 random bytes) || ciphertext || tag (16 bytes); the associated data names the round and
 * both parties, so a share cannot be replayed into another round or re-addressed. Stateless.
 */
public final class ShareCipher {
  private static final int IV = 12;
  private static final int TAG = 16;

  private ShareCipher() {}

  public static byte[] seal(byte[] key, byte[] plaintext, String associated, SecureRandom random)
      throws GeneralSecurityException {
    byte[] iv = new byte[IV];
    random.nextBytes(iv);
    Cipher c = cipher(Cipher.ENCRYPT_MODE, key, iv, associated);
    byte[] body = c.doFinal(plaintext);
    byte[] out = Arrays.copyOf(iv, IV + body.length);
    System.arraycopy(body, 0, out, IV, body.length);
    return out;
  }

  /**
   * @throws AEADBadTagException if the message was altered, is of another round or pair, or is
   *     shorter than an IV and a tag
   */
  public static byte[] open(byte[] key, byte[] sealed, String associated)
      throws GeneralSecurityException {
    if (sealed.length < IV + TAG) {
      throw new AEADBadTagException(
          "sealed share of " + sealed.length + " bytes is shorter than IV and tag");
    }
    Cipher c = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, IV), associated);
    return c.doFinal(sealed, IV, sealed.length - IV);
  }

  private static Cipher cipher(int mode, byte[] key, byte[] iv, String associated)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG * 8, iv));
    c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
    return c;
  }
}
