package org.fedlink.crypto.channel;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017), over the JDK provider. Stateless and
 * thread-safe.
 */
final class RsaOaep {
  private RsaOaep() {}

  private static OAEPParameterSpec params(byte[] label) {
    return new OAEPParameterSpec(
        "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
  }

  static byte[] encrypt(PublicKey key, byte[] message, byte[] label)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.ENCRYPT_MODE, key, params(label));
    return c.doFinal(message);
  }

  /**
   * @throws GeneralSecurityException if the ciphertext is not a valid OAEP encryption under {@code
   *     key} and {@code label}
   */
  static byte[] decrypt(PrivateKey key, byte[] ciphertext, byte[] label)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(Cipher.DECRYPT_MODE, key, params(label));
    return c.doFinal(ciphertext);
  }
}
