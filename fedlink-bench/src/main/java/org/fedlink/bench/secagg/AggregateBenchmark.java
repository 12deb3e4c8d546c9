package org.fedlink.bench.secagg;

import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import org.fedlink.crypto.secagg.AggregationIntegrityException;
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
 * The researcher's side on one core: folding one node's ciphertexts into the running product, and
 * decrypting with precomputed aggregator masks. Scores are per ciphertext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AggregateBenchmark {
  @Param({"1024", "2048"})
  public int bits;

  private SecAggFixture fixture;
  private BigInteger[] accumulator;
  private BigInteger[] inverseMasks;

  @Setup
  public void setUp() {
    fixture = new SecAggFixture(bits);
    accumulator = fixture.ciphertexts.clone();
    BigInteger n2 = fixture.scheme.biprime().modulus().pow(2);
    inverseMasks = new BigInteger[SecAggFixture.BATCH];
    for (int j = 0; j < inverseMasks.length; j++) {
      // With one node the aggregator mask is the inverse of that node's mask.
      inverseMasks[j] = fixture.masks[j].modInverse(n2);
    }
  }

  /** accumulator[j] = accumulator[j] * c[j] mod N^2. */
  @Benchmark
  @OperationsPerInvocation(SecAggFixture.BATCH)
  public BigInteger[] accumulate() {
    return fixture.scheme.accumulate(accumulator, fixture.ciphertexts);
  }

  /** V = mask0 * aggregate mod N^2, check V = 1 mod N, (V - 1) / N. */
  @Benchmark
  @OperationsPerInvocation(SecAggFixture.BATCH)
  public BigInteger[] decrypt() throws AggregationIntegrityException {
    return fixture.scheme.decrypt(fixture.ciphertexts, inverseMasks);
  }
}
