package org.fedlink.crypto.channel;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 96-bit IV and a 128-bit tag, the only sizes the channel accepts. Output is
 * ciphertext || tag. Stateless and thread-safe; a fresh Cipher per call.
 */
final class Aes256Gcm {
  static final int KEY_BYTES = 32;
  static final int IV_BYTES = 12;
  static final int TAG_BYTES = 16;

  private Aes256Gcm() {}

  static byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext, byte[] aad)
      throws GeneralSecurityException {
    return cipher(Cipher.ENCRYPT_MODE, key, iv, aad).doFinal(plaintext);
  }

  /**
   * @throws AEADBadTagException if the tag does not verify or the input is shorter than a tag
   * @throws InvalidKeyException if the key is not 32 bytes
   * @throws InvalidAlgorithmParameterException if the IV is not 12 bytes
   */
  static byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertextAndTag, byte[] aad)
      throws GeneralSecurityException {
    Cipher c = cipher(Cipher.DECRYPT_MODE, key, iv, aad);
    if (ciphertextAndTag.length < TAG_BYTES) {
      throw new AEADBadTagException(
          "ciphertext of " + ciphertextAndTag.length + " bytes is shorter than the 16-byte tag");
    }
    return c.doFinal(ciphertextAndTag);
  }

  private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] aad)
      throws GeneralSecurityException {
    if (key.length != KEY_BYTES) {
      throw new InvalidKeyException(
          "AES-GCM key of " + key.length + " bytes; only " + KEY_BYTES + " is accepted");
    }
    if (iv.length != IV_BYTES) {
      throw new InvalidAlgorithmParameterException(
          "AES-GCM IV of " + iv.length + " bytes; only " + IV_BYTES + " is accepted");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
    c.updateAAD(aad);
    return c;
  }
}
