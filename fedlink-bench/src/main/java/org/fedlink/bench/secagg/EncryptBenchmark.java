package org.fedlink.bench.secagg;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
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
 * Encryption of full plaintexts on one core: with precomputed masks (the critical path after
 * training) and including the mask computation. Scores are per ciphertext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncryptBenchmark {
  @Param({"1024", "2048"})
  public int bits;

  private SecAggFixture fixture;

  @Setup
  public void setUp() {
    fixture = new SecAggFixture(bits);
  }

  /** Critical path: (1 + xN) * mask mod N^2 per ciphertext. */
  @Benchmark
  @OperationsPerInvocation(SecAggFixture.BATCH)
  public BigInteger[] withPrecomputedMasks() {
    return fixture.scheme.encrypt(fixture.plaintexts, fixture.masks);
  }

  /** Mask and encryption, one ciphertext. */
  @Benchmark
  public BigInteger includingMask() {
    return fixture.scheme.encrypt(fixture.key, 3, 0, fixture.plaintexts[0]);
  }
}
