package org.fedlink.supernode.secagg;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.JoyeLibertKey;
import org.fedlink.crypto.secagg.VectorEncoder;
import org.fedlink.crypto.secagg.protocol.SessionMasks;
import org.fedlink.crypto.secagg.protocol.SetupParams;

/**
 * What a node keeps after a successful setup: its key sk_i (memory only, never stored or sent), the
 * guard seed, the layout, and the masks of upcoming rounds, computed in the background as soon as
 * the previous round (or the setup) is done. A round is encrypted at most once: reusing a mask for
 * two plaintexts would leak their difference. Thread-safe.
 */
final class NodeSession implements AutoCloseable {
  private final SessionMasks state;
  private final Set<Integer> used = new HashSet<>();

  NodeSession(
      SetupParams params,
      JoyeLibert scheme,
      JoyeLibertKey key,
      BitBudget budget,
      byte[] guardSeed,
      int parallelism,
      Executor background) {
    this.state = new SessionMasks(params, scheme, key, budget, guardSeed, parallelism, background);
  }

  SetupParams params() {
    return state.params();
  }

  JoyeLibert scheme() {
    return state.scheme();
  }

  BitBudget budget() {
    return state.budget();
  }

  VectorEncoder encoder() {
    return state.encoder();
  }

  byte[] guardSeed() {
    return state.guardSeed();
  }

  /** Starts computing the masks of {@code round} in the background, if not started yet. */
  void precompute(int round) {
    state.precompute(round);
  }

  /**
   * Marks {@code round} as encrypted and returns its masks, waiting for the precomputation.
   *
   * @throws FedlinkException REFUSED if the round was already encrypted or precedes the session
   */
  BigInteger[] claim(int round) {
    synchronized (used) {
      if (round < state.params().firstRound() || !used.add(round)) {
        throw new FedlinkException(
            ErrorCode.REFUSED,
            "round "
                + round
                + " was already encrypted under secure-aggregation session "
                + state.params().session()
                + " (or precedes it); a mask is never reused, the researcher must redo the setup");
      }
    }
    try {
      return state.take(round);
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
    state.close();
  }
}
