package org.fedlink.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals keys shared with peers ({@link SharedKeys}) so they can be kept on disk and restored after
 * a restart without running the key agreement again, and never in clear: AES-256-GCM under a key
 * that only the owner's private key yields (HKDF-SHA256 of the private scalar, salt {@link #SALT},
 * info {@link #INFO} followed by the owner's public key blob).
 *
 * <p>A sealed key is {@value #SEALED_LENGTH} bytes: a version byte ({@value #VERSION}), a random
 * 12-byte IV, the 32-byte key encrypted, and the 16-byte tag. The associated data binds it to the
 * owner's and the peer's public keys, so a sealed key opens only for the pair it was made for and a
 * copy moved to another peer's row, or made under another owner key, is refused. Whoever can read
 * the owner's private key can compute every shared key anyway; a sealed copy gives nothing more
 * than that, and without the private key it gives nothing. Immutable and thread-safe.
 */
public final class KeySeal {
  /** HKDF salt of the sealing key (ASCII bytes of this string). */
  public static final String SALT = "fedlink/v1 key seal salt";

  /** HKDF info of the sealing key, followed by the owner's public key blob. */
  public static final String INFO = "fedlink/v1 key seal";

  /** Format version, the first byte of a sealed key. */
  public static final int VERSION = 1;

  private static final int IV_LENGTH = 12;
  private static final int TAG_LENGTH = 16;

  /** Length in bytes of a sealed key. */
  public static final int SEALED_LENGTH = 1 + IV_LENGTH + EcdhKeyAgreement.KEY_LENGTH + TAG_LENGTH;

  private static final byte[] AAD_LABEL =
      "fedlink/v1 sealed shared key".getBytes(StandardCharsets.US_ASCII);

  private final byte[] sealingKey;
  private final byte[] ownBlob;
  private final String owner;
  private final SecureRandom random = new SecureRandom();

  private KeySeal(byte[] sealingKey, byte[] ownBlob) {
    this.sealingKey = sealingKey;
    this.ownBlob = ownBlob;
    this.owner = KeyFingerprint.sha256(ownBlob);
  }

  /**
   * The seal of the owner of {@code own}.
   *
   * @throws InvalidKeyException if {@code own} is not an EC key pair on a supported curve
   */
  public static KeySeal of(KeyPair own) throws InvalidKeyException {
    Objects.requireNonNull(own, "own");
    if (!(own.getPrivate() instanceof ECPrivateKey priv)
        || !(own.getPublic() instanceof ECPublicKey pub)) {
      throw new InvalidKeyException("a key seal needs an EC key pair");
    }
    byte[] blob;
    byte[] scalar;
    try {
      SshCurve curve = SshCurve.of(priv);
      blob = OpenSshPublicKey.of(pub, null).blob();
      scalar = fixedLength(priv.getS(), curve.fieldBytes());
    } catch (KeyFormatException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
    try {
      byte[] info = concat(INFO.getBytes(StandardCharsets.US_ASCII), blob);
      byte[] key =
          Hkdf.derive(
              SALT.getBytes(StandardCharsets.US_ASCII), scalar, info, EcdhKeyAgreement.KEY_LENGTH);
      return new KeySeal(key, blob);
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA256 with fixed valid parameters failed", e);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  /**
   * The {@code SHA256:} fingerprint of the owner's public key, under which sealed keys are kept.
   */
  public String owner() {
    return owner;
  }

  /**
   * Seals the key shared with {@code peer}.
   *
   * @throws IllegalArgumentException if {@code key} is not {@value EcdhKeyAgreement#KEY_LENGTH}
   *     bytes
   */
  public byte[] seal(OpenSshPublicKey peer, byte[] key) {
    if (key.length != EcdhKeyAgreement.KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a shared key is " + EcdhKeyAgreement.KEY_LENGTH + " bytes, got " + key.length);
    }
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    try {
      byte[] body = cipher(Cipher.ENCRYPT_MODE, iv, peer).doFinal(key);
      return ByteBuffer.allocate(SEALED_LENGTH).put((byte) VERSION).put(iv).put(body).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM with valid parameters failed", e);
    }
  }

  /**
   * Opens a sealed key made by {@link #seal} for {@code peer} under this owner key.
   *
   * @throws AEADBadTagException if it was sealed for another peer or owner, or was altered
   * @throws GeneralSecurityException if it has the wrong length or version
   */
  public byte[] open(OpenSshPublicKey peer, byte[] sealed) throws GeneralSecurityException {
    if (sealed.length != SEALED_LENGTH) {
      throw new GeneralSecurityException(
          "a sealed key is " + SEALED_LENGTH + " bytes, got " + sealed.length);
    }
    if (sealed[0] != VERSION) {
      throw new GeneralSecurityException(
          "sealed key version " + (sealed[0] & 0xff) + " is not the supported " + VERSION);
    }
    byte[] iv = Arrays.copyOfRange(sealed, 1, 1 + IV_LENGTH);
    return cipher(Cipher.DECRYPT_MODE, iv, peer)
        .doFinal(sealed, 1 + IV_LENGTH, sealed.length - 1 - IV_LENGTH);
  }

  private Cipher cipher(int mode, byte[] iv, OpenSshPublicKey peer)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(sealingKey, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, iv));
    c.updateAAD(aad(peer.blob()));
    return c;
  }

  private byte[] aad(byte[] peerBlob) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AAD_LABEL);
    out.writeBytes(ByteBuffer.allocate(4).putInt(ownBlob.length).array());
    out.writeBytes(ownBlob);
    out.writeBytes(ByteBuffer.allocate(4).putInt(peerBlob.length).array());
    out.writeBytes(peerBlob);
    return out.toByteArray();
  }

  private static byte[] fixedLength(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int n = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - n, out, length - n, n);
    Arrays.fill(raw, (byte) 0);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public String toString() {
    return "KeySeal[owner " + owner + "]";
  }
}
