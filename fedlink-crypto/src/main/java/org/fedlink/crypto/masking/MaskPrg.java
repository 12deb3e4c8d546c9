package org.fedlink.crypto.masking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The masks' pseudorandom generator: AES-128 in counter mode (the JDK's {@code AES/CTR/NoPadding},
 * AES-NI accelerated), one stream per {@link MaskKey}, counter starting at zero (each key is used
 * for one stream only). Applying several masks is fused: the target is walked once in blocks of
 * {@value #BLOCK_BYTES} bytes and every stream's block is generated into a small buffer and added
 * in place, so the target crosses the memory bus once whatever the number of masks. Stateless and
 * thread-safe (each call has its own ciphers and buffer).
 */
public final class MaskPrg {
  /** Bytes of keystream generated per cipher call; fits the second-level cache. */
  public static final int BLOCK_BYTES = 32 * 1024;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] ZEROS = new byte[BLOCK_BYTES];
  private static final byte[] IV = new byte[16];

  private MaskPrg() {}

  /**
   * Adds (or subtracts, per key) the stream of every key to {@code target}, word by word mod 2^64
   * (read as little-endian 64-bit words), whatever its lane width.
   *
   * @throws GeneralSecurityException if the JDK has no AES-CTR (never on a standard JDK)
   */
  public static void apply(List<MaskKey> keys, RingVector target) throws GeneralSecurityException {
    if (keys.isEmpty()) {
      return;
    }
    Streams streams = open(keys);
    long[] words = target.words();
    for (int at = 0; at < words.length; at += WORDS_PER_BLOCK) {
      streams.addNext(words, at, Math.min(WORDS_PER_BLOCK, words.length - at));
    }
  }

  /** Words of 8 bytes per block. */
  public static final int WORDS_PER_BLOCK = BLOCK_BYTES / 8;

  /** The streams of several keys, read block by block in step. */
  public static Streams open(List<MaskKey> keys) throws GeneralSecurityException {
    return new Streams(keys);
  }

  /**
   * Several mask streams advanced together: {@link #addNext} adds the next block of each to a range
   * of words, so a caller can fill a block (e.g. encode it) and mask it while it is still in cache.
   * Not thread-safe.
   */
  public static final class Streams {
    private final Cipher[] ciphers;
    private final boolean[] negate;
    private final byte[] buf = new byte[BLOCK_BYTES];

    private Streams(List<MaskKey> keys) throws GeneralSecurityException {
      ciphers = new Cipher[keys.size()];
      negate = new boolean[keys.size()];
      for (int m = 0; m < ciphers.length; m++) {
        ciphers[m] = stream(keys.get(m).key());
        negate[m] = keys.get(m).negate();
      }
    }

    /**
     * Adds the next {@code count} words (at most {@link #WORDS_PER_BLOCK}) of every stream to
     * {@code words[at .. at + count)}.
     */
    public void addNext(long[] words, int at, int count) throws GeneralSecurityException {
      for (int m = 0; m < ciphers.length; m++) {
        ciphers[m].update(ZEROS, 0, count * 8, buf, 0);
        addBlock(words, at, buf, count, negate[m]);
      }
    }
  }

  /**
   * Fills {@code out} with the first bytes of the stream of {@code key}: the raw generator, for
   * known-answer tests and benchmarks.
   */
  public static void keystream(MaskKey key, byte[] out) throws GeneralSecurityException {
    Cipher c = stream(key.key());
    for (int at = 0; at < out.length; at += BLOCK_BYTES) {
      int n = Math.min(BLOCK_BYTES, out.length - at);
      c.update(ZEROS, 0, n, out, at);
    }
  }

  private static Cipher stream(byte[] key) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
    return c;
  }

  private static void addBlock(long[] words, int at, byte[] buf, int count, boolean negate) {
    if (negate) {
      for (int k = 0; k < count; k++) {
        words[at + k] -= (long) LONGS.get(buf, k << 3);
      }
    } else {
      for (int k = 0; k < count; k++) {
        words[at + k] += (long) LONGS.get(buf, k << 3);
      }
    }
  }
}
