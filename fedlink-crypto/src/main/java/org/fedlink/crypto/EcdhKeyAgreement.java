package org.fedlink.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.fedlink.crypto.internal.EcPoints;

/**
 * The node-authentication key: ECDH between one side's private key and the other side's public key,
 * then HKDF-SHA256 with salt {@link #SALT} and info {@link #INFO}, giving {@value #KEY_LENGTH}
 * bytes. Both sides compute the same key; the SuperLink never needs to store it.
 *
 * <p>The peer's public key is validated before use: it must be on the same curve as the own key
 * (one of nistp256/384/521) and its point must be on that curve, so invalid-curve attacks fail.
 * Stateless and thread-safe.
 */
public final class EcdhKeyAgreement {
  /** HKDF info: names the protocol version and purpose, so keys for other uses differ. */
  public static final String INFO = "fedlink/v1 node-auth";

  /** HKDF salt (ASCII bytes of this string): fixed and public, as RFC 5869 allows. */
  public static final String SALT = "fedlink/v1 node-auth salt";

  /** Length in bytes of the derived key. */
  public static final int KEY_LENGTH = 32;

  private static final byte[] INFO_BYTES = INFO.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SALT_BYTES = SALT.getBytes(StandardCharsets.US_ASCII);

  private EcdhKeyAgreement() {}

  /**
   * Returns the raw ECDH shared secret (the x coordinate of own*peer, field-length bytes). Callers
   * should derive keys from it with {@link Hkdf} rather than use it directly.
   *
   * @throws InvalidKeyException if a key is not EC, the curves differ or are unsupported, or the
   *     peer point is not a valid point of the curve
   */
  public static byte[] sharedSecret(PrivateKey own, PublicKey peer) throws InvalidKeyException {
    if (!(own instanceof ECPrivateKey)) {
      throw new InvalidKeyException("own key must be an EC private key, got " + algorithm(own));
    }
    if (!(peer instanceof ECPublicKey)) {
      throw new InvalidKeyException("peer key must be an EC public key, got " + algorithm(peer));
    }
    ECPrivateKey priv = (ECPrivateKey) own;
    ECPublicKey pub = (ECPublicKey) peer;
    SshCurve curve;
    try {
      curve = SshCurve.of(priv);
    } catch (KeyFormatException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
    if (!EcPoints.sameCurve(curve.params(), pub.getParams())) {
      throw new InvalidKeyException(
          "peer public key is not on the own key's curve " + curve.sshName());
    }
    EcPoints.checkOnCurve(pub.getW(), curve.params());
    try {
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(priv);
      ka.doPhase(pub, true);
      return ka.generateSecret();
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw new InvalidKeyException("ECDH failed on " + curve.sshName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the {@value #KEY_LENGTH}-byte node-authentication key shared by the owner of {@code
   * own} and the owner of {@code peer}.
   *
   * @throws InvalidKeyException if {@link #sharedSecret} rejects the keys
   */
  public static byte[] deriveKey(PrivateKey own, PublicKey peer) throws InvalidKeyException {
    byte[] secret = sharedSecret(own, peer);
    try {
      return Hkdf.derive(SALT_BYTES, secret, INFO_BYTES, KEY_LENGTH);
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA256 with fixed valid parameters failed", e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static String algorithm(Object key) {
    return key == null ? "null" : key.getClass().getSimpleName();
  }
}
