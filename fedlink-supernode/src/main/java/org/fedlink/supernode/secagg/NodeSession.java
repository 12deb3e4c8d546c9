package org.fedlink.supernode.secagg;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
 * What a node keeps after a successful setup: its key sk_i (memory only, never stored or sent), the
 * guard seed, the layout, and the masks of upcoming rounds, computed in the background as soon as
 * the previous round (or the setup) is done. A round is encrypted at most once: reusing a mask for
 * two plaintexts would leak their difference. Thread-safe.
 */
final class NodeSession implements AutoCloseable {
  private final SetupParams params;
  private final JoyeLibert scheme;
  private final JoyeLibertKey key;
  private final BitBudget budget;
  private final VectorEncoder encoder;
  private final byte[] guardSeed;
  private final Masks masks;
  private final Executor background;
  private final Map<Integer, CompletableFuture<BigInteger[]>> ahead = new ConcurrentHashMap<>();
  private final Set<Integer> used = new HashSet<>();

  NodeSession(
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

  SetupParams params() {
    return params;
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

  /** Starts computing the masks of {@code round} in the background, if not started yet. */
  void precompute(int round) {
    ahead.computeIfAbsent(
        round,
        r ->
            CompletableFuture.supplyAsync(
                () -> masks.computeMasks(key, r, encoder.plaintextCount()), background));
  }

  /**
   * Marks {@code round} as encrypted and returns its masks, waiting for the precomputation.
   *
   * @throws FedlinkException REFUSED if the round was already encrypted or precedes the session
   */
  BigInteger[] claim(int round) {
    synchronized (used) {
      if (round < params.firstRound() || !used.add(round)) {
        throw new FedlinkException(
            ErrorCode.REFUSED,
            "round "
                + round
                + " was already encrypted under secure-aggregation session "
                + params.session()
                + " (or precedes it); a mask is never reused, the researcher must redo the setup");
      }
    }
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
