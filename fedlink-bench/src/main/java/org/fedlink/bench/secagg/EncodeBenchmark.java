package org.fedlink.bench.secagg;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.Guard;
import org.fedlink.crypto.secagg.VectorEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Clip, quantize, weight and pack a float vector (16 value bits, weights up to 2^20 - 1, 10 nodes);
 * the score is per float.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EncodeBenchmark {
  private static final int LENGTH = 120_000;

  @Param({"1024", "2048"})
  public int bits;

  private VectorEncoder encoder;
  private float[] update;

  @Setup
  public void setUp() throws GeneralSecurityException {
    encoder = new VectorEncoder(BitBudget.of(bits, 1.0, 16, (1 << 20) - 1, 10), LENGTH);
    Random random = new Random(1);
    update = new float[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      update[i] = (float) random.nextGaussian();
    }
  }

  @Benchmark
  @OperationsPerInvocation(LENGTH)
  public BigInteger[] encode() throws GeneralSecurityException {
    return encoder.encode(update, 1000, new Guard(12345));
  }
}
