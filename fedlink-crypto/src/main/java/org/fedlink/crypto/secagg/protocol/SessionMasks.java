package org.fedlink.crypto.secagg.protocol;

import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.JoyeLibertKey;
import org.fedlink.crypto.secagg.Masks;
import org.fedlink.crypto.secagg.VectorEncoder;

/**
 * What both ends of a secure-aggregation setup keep: its parameters, the scheme and layout, the
 * guard seed, and the masks H(t, j)^key of upcoming rounds, computed in the background (while the
 * nodes train) so that a round's critical path holds only multiplications. The key is a node's sk_i
 * or the researcher's sk_0; it stays in memory. Thread-safe.
 */
public final class SessionMasks implements AutoCloseable {
  private final SetupParams params;
  private final JoyeLibert scheme;
  private final JoyeLibertKey key;
  private final BitBudget budget;
  private final VectorEncoder encoder;
  private final byte[] guardSeed;
  private final Masks masks;
  private final Executor background;
  private final Map<Integer, CompletableFuture<BigInteger[]>> ahead = new ConcurrentHashMap<>();

  /**
   * @param parallelism threads of the mask computation
   * @param background where precomputations are started from
   */
  public SessionMasks(
      SetupParams params,
      JoyeLibert scheme,
      JoyeLibertKey key,
      BitBudget budget,
      byte[] guardSeed,
      int parallelism,
      Executor background) {
    this.params = params;
    this.scheme = scheme;
    this.key = key;
    this.budget = budget;
    this.encoder = new VectorEncoder(budget, params.length());
    this.guardSeed = guardSeed.clone();
    this.masks = new Masks(scheme, parallelism);
    this.background = background;
  }

  public SetupParams params() {
    return params;
  }

  public JoyeLibert scheme() {
    return scheme;
  }

  public BitBudget budget() {
    return budget;
  }

  public VectorEncoder encoder() {
    return encoder;
  }

  public byte[] guardSeed() {
    return guardSeed.clone();
  }

  /** Starts computing the masks of {@code round} in the background, if not started yet. */
  public void precompute(int round) {
    ahead.computeIfAbsent(
        round,
        r ->
            CompletableFuture.supplyAsync(
                () -> masks.computeMasks(key, r, encoder.plaintextCount()), background));
  }

  /**
   * The masks of {@code round}, waiting for their precomputation (started now if it was not); they
   * are handed out once.
   *
   * @throws ExecutionException if the computation failed
   */
  public BigInteger[] take(int round) throws InterruptedException, ExecutionException {
    precompute(round);
    return ahead.remove(round).get();
  }

  @Override
  public void close() {
    ahead.values().forEach(f -> f.cancel(true));
    masks.close();
  }
}
