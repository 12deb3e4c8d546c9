package org.fedlink.crypto.channel;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017), over the JDK provider.
 * Stateless and thread-safe.
 */
final class RsaPss {
  static final PSSParameterSpec PARAMS =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private RsaPss() {}

  static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(PARAMS);
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  /**
   * @throws SignatureException if the signature does not verify (whatever the reason)
   */
  static void verify(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(PARAMS);
    s.initVerify(key);
    s.update(data);
    boolean ok;
    try {
      ok = s.verify(signature);
    } catch (SignatureException e) {
      ok = false;
    }
    if (!ok) {
      throw new SignatureException("RSASSA-PSS signature does not verify with the sender's key");
    }
  }
}
