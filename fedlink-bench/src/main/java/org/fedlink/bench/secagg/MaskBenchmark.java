package org.fedlink.bench.secagg;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of one Joye-Libert mask H(t, j)^sk mod N^2 (hash + modular exponentiation with a 2|N|-bit
 * exponent), on one core: the work a node precomputes per ciphertext while it trains.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MaskBenchmark {
  @Param({"1024", "2048"})
  public int bits;

  private SecAggFixture fixture;
  private int index;

  @Setup
  public void setUp() {
    fixture = new SecAggFixture(bits);
  }

  /** One mask, hash included. */
  @Benchmark
  public BigInteger mask() {
    return fixture.scheme.mask(fixture.key, 7, index++);
  }
}
