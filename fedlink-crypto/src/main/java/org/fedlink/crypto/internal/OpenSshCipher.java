package org.fedlink.crypto.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.BCrypt;

/**
 * The private-section encryption of OpenSSH key files: {@code bcrypt} KDF (OpenBSD bcrypt_pbkdf)
 * and {@code aes256-ctr}, the cipher {@code ssh-keygen} uses by default. Stateless and thread-safe.
 */
public final class OpenSshCipher {
  /** The only cipher supported for encrypted keys. */
  public static final String AES256_CTR = "aes256-ctr";

  private static final int KEY_LEN = 32;
  private static final int IV_LEN = 16;

  private OpenSshCipher() {}

  /**
   * Decrypts the private section of an encrypted key file.
   *
   * @param kdfOptions the kdfoptions field: string salt, uint32 rounds
   * @throws GeneralSecurityException if the options are malformed or decryption fails
   */
  public static byte[] decrypt(byte[] encrypted, byte[] kdfOptions, byte[] passphrase)
      throws GeneralSecurityException {
    SshReader r = new SshReader(kdfOptions);
    byte[] salt;
    int rounds;
    try {
      salt = r.readBytes();
      rounds = r.readUint32();
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed bcrypt KDF options: " + e.getMessage(), e);
    }
    if (rounds < 1 || rounds > 1 << 20) {
      throw new GeneralSecurityException(
          "bcrypt KDF rounds " + rounds + " out of the allowed range 1.." + (1 << 20));
    }
    if (encrypted.length % IV_LEN != 0) {
      throw new GeneralSecurityException(
          "encrypted section length " + encrypted.length + " is not a multiple of 16");
    }
    byte[] keyIv = BCrypt.pbkdfGenerate(passphrase, salt, rounds, KEY_LEN + IV_LEN);
    try {
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(keyIv, 0, KEY_LEN, "AES"),
          new IvParameterSpec(keyIv, KEY_LEN, IV_LEN));
      return aes.doFinal(encrypted);
    } finally {
      Arrays.fill(keyIv, (byte) 0);
    }
  }
}
