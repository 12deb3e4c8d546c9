package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Precomputes the Joye-Libert masks H(t, j)^sk mod N^2 of a round, in parallel, so that a node can
 * prepare them while it trains and the researcher can prepare H(t, j)^sk_0 while it waits.
 *
 * <p>A mask costs one modular exponentiation with a 2|N|-bit exponent; the work is split over a
 * private {@link ForkJoinPool} of the configured parallelism. Thread-safe; {@link #close()} stops
 * the pool (idempotent), after which {@link #computeMasks} throws.
 */
public final class Masks implements AutoCloseable {
  private static final int CHUNK = 8;

  private final JoyeLibert scheme;
  private final ForkJoinPool pool;

  /**
   * Masks for {@code scheme} computed by {@code parallelism} threads.
   *
   * @throws IllegalArgumentException if {@code parallelism} is not in [1, 256]
   */
  public Masks(JoyeLibert scheme, int parallelism) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    if (parallelism < 1 || parallelism > 256) {
      throw new IllegalArgumentException(
          "parallelism = " + parallelism + "; allowed 1..256 (typically the number of cores)");
    }
    this.pool = new ForkJoinPool(parallelism);
  }

  /** Masks using every available processor. */
  public static Masks withAllCores(JoyeLibert scheme) {
    return new Masks(scheme, Runtime.getRuntime().availableProcessors());
  }

  /**
   * The masks H(round, j)^key mod N^2 for j = 0 .. count-1.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
   */
  public BigInteger[] computeMasks(JoyeLibertKey key, long round, int count) {
    Objects.requireNonNull(key, "key");
    if (count < 0) {
      throw new IllegalArgumentException("count = " + count + "; must be >= 0");
    }
    BigInteger[] out = new BigInteger[count];
    pool.invoke(new Range(key, round, out, 0, count));
    return out;
  }

  /** The configured number of threads. */
  public int parallelism() {
    return pool.getParallelism();
  }

  @Override
  public void close() {
    pool.shutdown();
  }

  private final class Range extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient JoyeLibertKey key;
    private final long round;
    private final transient BigInteger[] out;
    private final int from;
    private final int to;

    Range(JoyeLibertKey key, long round, BigInteger[] out, int from, int to) {
      this.key = key;
      this.round = round;
      this.out = out;
      this.from = from;
      this.to = to;
    }

    @Override
    protected void compute() {
      if (to - from <= CHUNK) {
        for (int j = from; j < to; j++) {
          out[j] = scheme.mask(key, round, j);
        }
        return;
      }
      int mid = (from + to) >>> 1;
      invokeAll(new Range(key, round, out, from, mid), new Range(key, round, out, mid, to));
    }
  }
}
