package org.fedlink.researcher.secagg;

import java.math.BigInteger;
import java.util.List;
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
 * The researcher's state after a setup: the aggregator key sk_0 = -(sum of the nodes' share sums),
 * the guard seed, the layout, and the aggregator masks H(t, j)^sk_0 of upcoming rounds, computed in
 * the background while the nodes train. Thread-safe.
 */
final class ResearcherSession implements AutoCloseable {
  private final SessionMasks state;

  ResearcherSession(
      SetupParams params,
      JoyeLibert scheme,
      JoyeLibertKey aggregatorKey,
      BitBudget budget,
      byte[] guardSeed,
      int parallelism,
      Executor background) {
    this.state =
        new SessionMasks(params, scheme, aggregatorKey, budget, guardSeed, parallelism, background);
  }

  String id() {
    return state.params().session();
  }

  SetupParams params() {
    return state.params();
  }

  List<Long> nodes() {
    return state.params().participants().nodeIds();
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

  /** Starts computing the aggregator masks of {@code round}, if not started yet. */
  void precompute(int round) {
    state.precompute(round);
  }

  /** The aggregator masks of {@code round}, waiting for their precomputation. */
  BigInteger[] masks(int round) {
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
