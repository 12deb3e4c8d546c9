package org.fedlink.crypto.secagg.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.Guard;

/**
 * The per-round {@link Guard} both the researcher and the nodes derive from the session's guard
 * seed: HMAC-SHA256(seed, "fedlink/secagg/v1/guard" || len session || session || round), first 8
 * bytes, reduced to [1, 2^guardBits). The researcher draws the 32-byte seed and seals it to each
 * node, so the SuperLink, which relays everything, never learns a guard and cannot forge an
 * aggregate that passes the guard check. Stateless and thread-safe.
 */
public final class GuardDerivation {
  /** Bytes of a guard seed. */
  public static final int SEED_BYTES = 32;

  private static final byte[] LABEL = "fedlink/secagg/v1/guard".getBytes(StandardCharsets.US_ASCII);

  private GuardDerivation() {}

  /**
   * The guard of {@code round}.
   *
   * @throws InvalidKeyException if {@code seed} is not {@value #SEED_BYTES} bytes
   * @throws GeneralSecurityException if the JDK has no HmacSHA256
   */
  public static Guard guard(byte[] seed, String session, int round, BitBudget budget)
      throws GeneralSecurityException {
    if (seed.length != SEED_BYTES) {
      throw new InvalidKeyException(
          "guard seed has " + seed.length + " bytes; expected " + SEED_BYTES);
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(seed, "HmacSHA256"));
    byte[] s = session.getBytes(StandardCharsets.UTF_8);
    mac.update(LABEL);
    mac.update(ByteBuffer.allocate(4).putInt(s.length).array());
    mac.update(s);
    mac.update(ByteBuffer.allocate(4).putInt(round).array());
    long v = ByteBuffer.wrap(mac.doFinal()).getLong();
    long bound = 1L << Math.min(budget.guardBits(), 62);
    long g = v & (bound - 1);
    return new Guard(g == 0 ? 1 : g);
  }
}
