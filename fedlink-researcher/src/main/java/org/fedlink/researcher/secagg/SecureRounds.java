package org.fedlink.researcher.secagg;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedlink.core.Parameters;
import org.fedlink.crypto.secagg.AggregationIntegrityException;
import org.fedlink.crypto.secagg.Guard;
import org.fedlink.crypto.secagg.protocol.CiphertextBlob;
import org.fedlink.crypto.secagg.protocol.GuardDerivation;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.Round;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.transport.TaskKeys;

/**
 * Drives the training phase of each round of a secure run: sets up keys among the selected nodes
 * before the first round and again whenever the set of nodes changes, sends train tasks that ask
 * for encrypted updates, multiplies the ciphertexts, decrypts the sum with the precomputed
 * aggregator masks, checks the guard and returns the new global model (global + weighted mean of
 * the nodes' deltas). The SuperLink only ever holds ciphertext blobs and sealed messages.
 *
 * <p>Not thread-safe: one experiment drives it. {@link #close()} stops background work.
 */
public final class SecureRounds implements Round {
  private final SecureRunContext ctx;
  private final SecurePhase phase;
  private final ResearcherKeySetup setup;
  private final ExecutorService background;
  private ResearcherSession session;

  /**
   * The secure rounds of {@code config}'s scheme (Joye-Libert, LOM or SecAgg+) for the run
   * described by {@code ctx}.
   */
  public static Round of(SecureAggregation config, SecureRunContext ctx) {
    return switch (config.scheme()) {
      case SecAggKeys.SCHEME_LOM -> new LomRounds(config, ctx);
      case SecAggKeys.SCHEME_SECAGG_PLUS -> new SecAggPlusRounds(config, ctx);
      default -> new SecureRounds(config, ctx);
    };
  }

  /** Joye-Libert rounds with {@code config} for the run described by {@code ctx}. */
  public SecureRounds(SecureAggregation config, SecureRunContext ctx) {
    Objects.requireNonNull(config, "config").validate();
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.phase = new SecurePhase(ctx);
    this.background =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "secagg-aggregator-masks");
              t.setDaemon(true);
              return t;
            });
    this.setup = new ResearcherKeySetup(config, ctx, phase, background);
  }

  /**
   * Runs the training phase of {@code round} encrypted and aggregates it.
   *
   * @throws RoundFailedException if the setup or the round fails (a refusal, a dropout, a failed
   *     integrity or guard check); the message names the node or the check
   */
  @Override
  public Outcome train(int round, Parameters global, String modelBlobId, String label) {
    List<Long> nodes = new ArrayList<>(ctx.onlineNodes().get());
    nodes.sort(null);
    if (nodes.size() < 2) {
      throw new RoundFailedException(
          label
              + " failed: secure aggregation needs at least 2 nodes, "
              + nodes.size()
              + " online");
    }
    if (session == null || !session.nodes().equals(nodes)) {
      if (session != null) {
        ctx.listener().info("the set of nodes changed: redoing the secure aggregation setup");
        session.close();
        session = null;
      }
      session = setup.run(nodes, round, Math.toIntExact(global.size()));
      ctx.listener().info("secure aggregation set up among nodes " + nodes);
    }
    ResearcherSession s = session;
    Map<String, String> cfg = new LinkedHashMap<>(ctx.taskConfig());
    cfg.put(SecAggKeys.SESSION, s.id());
    cfg.put(SecAggKeys.PRECOMPUTE_NEXT, Boolean.toString(round < ctx.rounds()));
    List<TaskResult> results =
        phase.run(TaskKeys.KIND_TRAIN, round, modelBlobId, label, s.nodes(), n -> cfg);
    float[] mean = aggregate(s, round, results, label);
    if (round < ctx.rounds()) {
      s.precompute(round + 1);
    }
    long total = 0;
    for (TaskResult r : results) {
      total += r.getNumExamples();
    }
    return new Outcome(results, List.of(Round.aggregate(global, mean, total)), List.of());
  }

  private float[] aggregate(
      ResearcherSession s, int round, List<TaskResult> results, String label) {
    int count = s.encoder().plaintextCount();
    BigInteger[] acc = new BigInteger[count];
    Arrays.fill(acc, BigInteger.ONE);
    long totalWeight = 0;
    for (TaskResult r : results) {
      CiphertextBlob blob;
      try {
        blob = CiphertextBlob.fromBytes(ctx.control().download(r.getBlobId()));
      } catch (IllegalArgumentException e) {
        throw failed(
            label, "node " + r.getNodeId() + " sent no encrypted update: " + e.getMessage());
      }
      if (!blob.session().equals(s.id())
          || blob.round() != round
          || blob.ciphertexts().length != count) {
        throw failed(
            label,
            "node "
                + r.getNodeId()
                + " sent an update for session "
                + blob.session()
                + " round "
                + blob.round()
                + " with "
                + blob.ciphertexts().length
                + " ciphertexts; expected session "
                + s.id()
                + " round "
                + round
                + " with "
                + count);
      }
      try {
        s.scheme().accumulate(acc, blob.ciphertexts());
      } catch (IllegalArgumentException e) {
        throw failed(
            label, "node " + r.getNodeId() + " sent an invalid ciphertext: " + e.getMessage());
      }
      totalWeight += r.getNumExamples();
    }
    try {
      BigInteger[] sums = s.scheme().decrypt(acc, s.masks(round));
      Guard guard = GuardDerivation.guard(s.guardSeed(), s.id(), round, s.budget());
      return s.encoder().decode(sums, results.size(), totalWeight, guard);
    } catch (AggregationIntegrityException e) {
      throw failed(label, "the aggregate failed its integrity check: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw failed(label, "cannot decode the aggregate: " + e.getMessage());
    }
  }

  private static RoundFailedException failed(String label, String why) {
    return new RoundFailedException(
        label + " failed: secure aggregation: " + why + "; nothing was decrypted into the model");
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
      session = null;
    }
    background.shutdownNow();
  }
}
