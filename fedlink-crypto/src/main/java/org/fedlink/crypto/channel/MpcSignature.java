package org.fedlink.crypto.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;

/**
 * RSA-PSS signatures with a component's MPC certificate key over a context and a body, for messages
 * that are public but must come from a registered party (the key advertisements of LOM and
 * SecAgg+): a relaying SuperLink or researcher cannot substitute its own keys. The signed bytes are
 * length-prefixed context || body. Stateless.
 */
public final class MpcSignature {
  private MpcSignature() {}

  public static byte[] sign(MpcIdentity me, String context, byte[] body)
      throws GeneralSecurityException {
    return RsaPss.sign(me.privateKey(), signed(context, body));
  }

  /**
   * @throws GeneralSecurityException if the signature does not verify with {@code key}
   */
  public static void verify(PublicKey key, String context, byte[] body, byte[] signature)
      throws GeneralSecurityException {
    RsaPss.verify(key, signed(context, body), signature);
  }

  private static byte[] signed(String context, byte[] body) {
    byte[] c = context.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[4 + c.length + body.length];
    out[0] = (byte) (c.length >>> 24);
    out[1] = (byte) (c.length >>> 16);
    out[2] = (byte) (c.length >>> 8);
    out[3] = (byte) c.length;
    System.arraycopy(c, 0, out, 4, c.length);
    System.arraycopy(body, 0, out, 4 + c.length, body.length);
    return out;
  }
}
