package org.fedlink.researcher.secagg;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.JoyeLibertKey;
import org.fedlink.crypto.secagg.Masks;
import org.fedlink.crypto.secagg.VectorEncoder;
import org.fedlink.crypto.secagg.protocol.SetupParams;

/**
 * The researcher's state after a setup: the aggregator key sk_0 = -(sum of the nodes' share sums),
 * the guard seed, the layout, and the aggregator masks H(t, j)^sk_0 of upcoming rounds, computed in
 * the background while the nodes train. Thread-safe.
 */
final class ResearcherSession implements AutoCloseable {
  private final SetupParams params;
  private final JoyeLibert scheme;
  private final JoyeLibertKey aggregatorKey;
  private final BitBudget budget;
  private final VectorEncoder encoder;
  private final byte[] guardSeed;
  private final Masks masks;
  private final Executor background;
  private final Map<Integer, CompletableFuture<BigInteger[]>> ahead = new ConcurrentHashMap<>();

  ResearcherSession(
      SetupParams params,
      JoyeLibert scheme,
      JoyeLibertKey aggregatorKey,
      BitBudget budget,
      byte[] guardSeed,
      int parallelism,
      Executor background) {
    this.params = params;
    this.scheme = scheme;
    this.aggregatorKey = aggregatorKey;
    this.budget = budget;
    this.encoder = new VectorEncoder(budget, params.length());
    this.guardSeed = guardSeed.clone();
    this.masks = new Masks(scheme, parallelism);
    this.background = background;
  }

  String id() {
    return params.session();
  }

  SetupParams params() {
    return params;
  }

  List<Long> nodes() {
    return params.participants().nodeIds();
  }

  JoyeLibert scheme() {
    return scheme;
  }

  BitBudget budget() {
    return budget;
  }

  VectorEncoder encoder() {
    return encoder;
  }

  byte[] guardSeed() {
    return guardSeed.clone();
  }

  /** Starts computing the aggregator masks of {@code round}, if not started yet. */
  void precompute(int round) {
    ahead.computeIfAbsent(
        round,
        r ->
            CompletableFuture.supplyAsync(
                () -> masks.computeMasks(aggregatorKey, r, encoder.plaintextCount()), background));
  }

  /** The aggregator masks of {@code round}, waiting for their precomputation. */
  BigInteger[] masks(int round) {
    precompute(round);
    try {
      return ahead.remove(round).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FedlinkException(ErrorCode.CANCELLED, "interrupted while computing masks");
    } catch (ExecutionException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "mask precomputation failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    ahead.values().forEach(f -> f.cancel(true));
    masks.close();
  }
}
