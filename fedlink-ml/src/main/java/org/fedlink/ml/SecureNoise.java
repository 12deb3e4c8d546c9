package org.fedlink.ml;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cryptographically strong generator fast enough to draw a Gaussian for each of a million model
 * values: the ChaCha20 keystream (JDK provider) under a key and nonce drawn from {@link
 * SecureRandom}, read through {@link Random}'s bit source, so {@link #nextGaussian()} is {@link
 * Random}'s polar method over unpredictable bits. {@code SecureRandom.nextGaussian()} itself costs
 * about 1.8 s per million values; this costs milliseconds. A new key after 2^32 blocks (256 GiB),
 * well before the 32-bit block counter wraps.
 *
 * <p>The noise is IEEE double arithmetic, not hardened against the floating-point attacks on
 * textbook samplers (Mironov, CCS 2012); it is then rounded to float. Not thread-safe.
 */
public final class SecureNoise extends Random {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER = 64 * 1024;
  private static final long BLOCKS_PER_KEY = (1L << 32) - 1;

  private final transient SecureRandom seeds;
  private final transient byte[] zeros = new byte[BUFFER];
  private final transient byte[] stream = new byte[BUFFER];
  private transient Cipher cipher;
  private transient int at = BUFFER;
  private transient long blocks;

  public SecureNoise() {
    super(0);
    this.seeds = new SecureRandom();
    rekey();
  }

  private void rekey() {
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    seeds.nextBytes(key);
    seeds.nextBytes(nonce);
    try {
      cipher = Cipher.getInstance("ChaCha20");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "ChaCha20"),
          new ChaCha20ParameterSpec(nonce, 0));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's ChaCha20 is not available", e);
    }
    blocks = 0;
  }

  @Override
  protected int next(int bits) {
    if (at + 4 > BUFFER) {
      if (blocks + BUFFER / 64 > BLOCKS_PER_KEY) {
        rekey();
      }
      try {
        cipher.update(zeros, 0, BUFFER, stream, 0);
      } catch (javax.crypto.ShortBufferException e) {
        throw new IllegalStateException("keystream buffer", e); // sizes are fixed: cannot happen
      }
      blocks += BUFFER / 64;
      at = 0;
    }
    int v =
        (stream[at] & 0xff)
            | (stream[at + 1] & 0xff) << 8
            | (stream[at + 2] & 0xff) << 16
            | (stream[at + 3] & 0xff) << 24;
    at += 4;
    return v >>> (32 - bits);
  }

  @Override
  public synchronized void setSeed(long seed) {
    // Random's constructor calls this; a keystream generator takes no seed.
  }
}
