package org.fedlink.crypto.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.fedlink.crypto.Hkdf;

/**
 * The 32-byte secret two parties share: HKDF-SHA256 of their X25519 shared secret, bound to a
 * purpose (e.g. {@code lom/<session>} or {@code secagg+/<round>/mask}) and to both party ids in a
 * fixed order, so the same key pairs never give the same secret for two purposes. Stateless.
 */
public final class PairwiseSecret {
  private PairwiseSecret() {}

  /**
   * The secret between {@code me} and {@code peer} for {@code purpose}.
   *
   * @throws GeneralSecurityException if the peer key is malformed or of low order
   */
  public static byte[] derive(
      X25519KeyPair mine, long me, byte[] peerPublicKey, long peer, String purpose)
      throws GeneralSecurityException {
    byte[] shared = mine.agree(peerPublicKey);
    long lo = Math.min(me, peer);
    long hi = Math.max(me, peer);
    byte[] prk = Hkdf.extract("fedlink/pairwise/v1".getBytes(StandardCharsets.US_ASCII), shared);
    java.util.Arrays.fill(shared, (byte) 0);
    String info = purpose + "/" + lo + "/" + hi;
    return Hkdf.expand(prk, info.getBytes(StandardCharsets.UTF_8), 32);
  }
}
