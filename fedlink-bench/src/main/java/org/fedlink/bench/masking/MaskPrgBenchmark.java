package org.fedlink.bench.masking;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fedlink.crypto.masking.MaskKey;
import org.fedlink.crypto.masking.MaskPrg;
import org.fedlink.crypto.masking.RingVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The masking schemes' generator on one core, over 8 MB (1M 64-bit lanes or 2M 32-bit lanes): the
 * JDK's raw AES-128-CTR (the masks' cipher) and ChaCha20 writing the same number of bytes, our
 * {@link MaskPrg} keystream, masking a vector (keystream added in place), and a plain sum of two
 * arrays of the same size, which is the memory-bandwidth limit masking approaches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class MaskPrgBenchmark {
  /** Bytes per vector. */
  @Param({"8000000"})
  int bytes;

  private byte[] zeros;
  private byte[] out;
  private byte[] key;
  private RingVector v64;
  private RingVector v32;
  private long[] a;
  private long[] b;
  private int[] a32;
  private int[] b32;
  private MaskKey one;
  private List<MaskKey> four;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    SplittableRandom r = new SplittableRandom(1);
    zeros = new byte[MaskPrg.BLOCK_BYTES];
    out = new byte[bytes];
    key = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) r.nextInt();
    }
    int words = bytes / 8;
    v64 = new RingVector(words, 64);
    v32 = new RingVector(2 * words, 32);
    a = new long[words];
    b = new long[words];
    a32 = new int[2 * words];
    b32 = new int[2 * words];
    for (int i = 0; i < words; i++) {
      b[i] = r.nextLong();
      b32[2 * i] = r.nextInt();
      b32[2 * i + 1] = r.nextInt();
    }
    one = MaskKey.raw(java.util.Arrays.copyOf(key, MaskKey.KEY_BYTES), false);
    four =
        List.of(
            MaskKey.derive(key, "a", false),
            MaskKey.derive(key, "b", true),
            MaskKey.derive(key, "c", false),
            MaskKey.derive(key, "d", true));
  }

  /** The JDK's AES-128-CTR writing {@code bytes} of keystream, in 32 KiB calls as MaskPrg does. */
  @Benchmark
  public byte[] jdkAesCtr() throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, 0, MaskKey.KEY_BYTES, "AES"),
        new IvParameterSpec(new byte[16]));
    for (int at = 0; at < bytes; at += zeros.length) {
      c.update(zeros, 0, Math.min(zeros.length, bytes - at), out, at);
    }
    return out;
  }

  /** The JDK's ChaCha20 writing the same bytes (no intrinsic in JDK 17). */
  @Benchmark
  public byte[] jdkChaCha20() throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("ChaCha20");
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, "ChaCha20"),
        new ChaCha20ParameterSpec(new byte[12], 0));
    for (int at = 0; at < bytes; at += zeros.length) {
      c.update(zeros, 0, Math.min(zeros.length, bytes - at), out, at);
    }
    return out;
  }

  /** MaskPrg's keystream alone. */
  @Benchmark
  public byte[] prgKeystream() throws GeneralSecurityException {
    MaskPrg.keystream(one, out);
    return out;
  }

  /** One mask added to a vector of 64-bit lanes. */
  @Benchmark
  public RingVector maskOne64() throws GeneralSecurityException {
    MaskPrg.apply(List.of(one), v64);
    return v64;
  }

  /** One mask added to a vector of 32-bit lanes (two per word). */
  @Benchmark
  public RingVector maskOne32() throws GeneralSecurityException {
    MaskPrg.apply(List.of(one), v32);
    return v32;
  }

  /** Four masks fused in one pass over a vector of 64-bit lanes. */
  @Benchmark
  public RingVector maskFour64() throws GeneralSecurityException {
    MaskPrg.apply(four, v64);
    return v64;
  }

  /** a += b over 8 MB of longs: the memory-bandwidth limit of adding one stream. */
  @Benchmark
  public long[] plainSum64() {
    long[] x = a;
    long[] y = b;
    for (int i = 0; i < x.length; i++) {
      x[i] += y[i];
    }
    return x;
  }

  /** a += b over 8 MB of ints. */
  @Benchmark
  public int[] plainSum32() {
    int[] x = a32;
    int[] y = b32;
    for (int i = 0; i < x.length; i++) {
      x[i] += y[i];
    }
    return x;
  }
}
