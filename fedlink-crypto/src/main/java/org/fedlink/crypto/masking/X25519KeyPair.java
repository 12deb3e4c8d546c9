package org.fedlink.crypto.masking;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An X25519 key pair (RFC 7748) for the pairwise Diffie-Hellman secrets of the masking schemes. The
 * private key never leaves this object except through {@link #privateKeyBytes()}, which only
 * SecAgg+ uses to secret-share it. {@link #toString()} shows only the public key. Immutable;
 * thread-safe.
 */
public final class X25519KeyPair {
  public static final int KEY_BYTES = X25519.POINT_SIZE;

  private final byte[] privateKey;
  private final byte[] publicKey;

  private X25519KeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new byte[KEY_BYTES];
    X25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  /** A fresh key pair from {@code random}. */
  public static X25519KeyPair generate(SecureRandom random) {
    byte[] k = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, k);
    return new X25519KeyPair(k);
  }

  /**
   * The key pair of a private key (e.g. one reconstructed from shares).
   *
   * @throws InvalidKeyException if it is not 32 bytes
   */
  public static X25519KeyPair fromPrivateKey(byte[] privateKey) throws InvalidKeyException {
    if (privateKey.length != X25519.SCALAR_SIZE) {
      throw new InvalidKeyException(
          "X25519 private key of " + privateKey.length + " bytes; 32 needed");
    }
    return new X25519KeyPair(privateKey.clone());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The private scalar (a copy), to be secret-shared; never log or send it in clear. */
  public byte[] privateKeyBytes() {
    return privateKey.clone();
  }

  /**
   * The raw shared secret with {@code peerPublicKey}.
   *
   * @throws InvalidKeyException if the peer key is not 32 bytes or is a low-order point (the shared
   *     secret would be all zero, known to anyone)
   */
  public byte[] agree(byte[] peerPublicKey) throws GeneralSecurityException {
    if (peerPublicKey.length != KEY_BYTES) {
      throw new InvalidKeyException(
          "X25519 public key of " + peerPublicKey.length + " bytes; 32 needed");
    }
    byte[] out = new byte[KEY_BYTES];
    if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, out, 0)) {
      throw new InvalidKeyException("X25519 public key is a low-order point; refused");
    }
    return out;
  }

  /** True if {@code other} has the same public key (public data: no need for constant time). */
  public boolean samePublicKey(byte[] other) {
    return Arrays.equals(publicKey, other);
  }

  @Override
  public String toString() {
    return "X25519KeyPair[public " + java.util.HexFormat.of().formatHex(publicKey, 0, 8) + "...]";
  }
}
