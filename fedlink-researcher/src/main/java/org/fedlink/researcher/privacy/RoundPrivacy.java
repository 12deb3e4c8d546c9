package org.fedlink.researcher.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.LocalPrivacy;
import org.fedlink.ml.SecureNoise;
import org.fedlink.researcher.strategies.Mean;
import org.fedlink.researcher.strategies.NodeUpdate;

/**
 * Differential privacy over an experiment's rounds: the noise of central DP, the task config of
 * local DP, the adaptive clipping norm, and the accountant that turns the rounds run into epsilon.
 * Its {@link #state()} goes into each round's checkpoint, so a resumed run keeps its epsilon.
 *
 * <p>Mutable, one per experiment; not thread-safe.
 */
public final class RoundPrivacy {
  /** Checkpoint state keys, beside the strategy's. */
  public static final String STATE_ACCOUNTANT = "dp.accountant";

  public static final String STATE_CLIP = "dp.clip";

  private final DifferentialPrivacy dp;
  private final Random random;
  private RdpAccountant accountant = new RdpAccountant();
  private double clip;
  private java.util.Set<String> frozen = java.util.Set.of();

  public RoundPrivacy(DifferentialPrivacy dp) {
    this(dp, new SecureNoise());
  }

  /** For tests: noise from {@code random}. */
  public RoundPrivacy(DifferentialPrivacy dp, Random random) {
    this.dp = dp;
    this.random = random;
    this.clip = dp.clipNorm();
  }

  /**
   * The plan's tensors that training never changes ({@code TrainingPlan.frozenTensors()}): central
   * DP keeps their global values, without clipping or noise.
   */
  public void frozenTensors(java.util.Set<String> names) {
    this.frozen = java.util.Set.copyOf(names);
  }

  public DifferentialPrivacy settings() {
    return dp;
  }

  /** The clipping norm the next round uses. */
  public double clip() {
    return clip;
  }

  /**
   * What each train task carries: for local DP the clipping norm and the node's noise share, sized
   * so that any {@code minNodes} nodes' shares sum to the target ({@code sigma * clip / sqrt(m)}
   * each); nothing for central DP.
   */
  public Map<String, String> taskConfig(int minNodes) {
    Map<String, String> c = new LinkedHashMap<>();
    if (dp.mode() == DifferentialPrivacy.Mode.LOCAL) {
      c.put(LocalPrivacy.MODE, "local");
      c.put(LocalPrivacy.CLIP, Double.toString(dp.clipNorm()));
      c.put(
          LocalPrivacy.STDDEV,
          Double.toString(dp.noiseMultiplier() * dp.clipNorm() / Math.sqrt(minNodes)));
    }
    return c;
  }

  /** Epsilon after the rounds accounted so far. */
  public double epsilon() {
    return accountant.epsilon(dp.delta());
  }

  /** Epsilon if one more round with sampling probability {@code q} were run. */
  public double epsilonAfterNext(double q) {
    return accountant.epsilonAfter(q, dp.noiseMultiplier(), dp.delta());
  }

  /** Whether one more round with sampling probability {@code q} stays within the budget. */
  public boolean nextFits(double q) {
    return epsilonAfterNext(q) <= dp.epsilonBudget();
  }

  /** Accounts for a completed round with sampling probability {@code q}; returns epsilon. */
  public double account(double q) {
    accountant.step(q, dp.noiseMultiplier());
    return epsilon();
  }

  /**
   * Central DP's mean: each update's change from {@code global} clipped to the current norm, the
   * changes averaged with equal weights, Gaussian noise of standard deviation {@code sigma * clip /
   * n} added, and the norm adapted for the next round when asked.
   */
  public Parameters centralMean(Parameters global, List<NodeUpdate> updates) {
    if (dp.mode() != DifferentialPrivacy.Mode.CENTRAL) {
      throw new IllegalStateException("central mean under " + dp.mode());
    }
    int n = updates.size();
    if (n == 0) {
      throw new FedlinkException(ErrorCode.FAILED_PRECONDITION, "no update to aggregate");
    }
    double sigma = dp.noiseMultiplier();
    double countSigma = 0;
    if (dp.adaptiveClip()) {
      countSigma = DifferentialPrivacy.countNoise(n);
      sigma = dp.updateNoise(countSigma);
    }
    int unclipped = 0;
    Parameters sum = global.zerosLike();
    for (NodeUpdate u : updates) {
      global.requireSameLayout(u.parameters(), "update of node " + u.nodeId());
      double sq = 0;
      for (int t = 0; t < global.tensors().size(); t++) {
        if (frozen.contains(global.tensors().get(t).name())) {
          continue;
        }
        float[] g = global.tensors().get(t).data();
        float[] y = u.parameters().tensors().get(t).data();
        for (int i = 0; i < g.length; i++) {
          double d = (double) y[i] - g[i];
          sq += d * d;
        }
      }
      double norm = Math.sqrt(sq);
      if (norm <= clip) {
        unclipped++;
      }
      double scale = norm > clip ? clip / norm : 1.0;
      for (int t = 0; t < global.tensors().size(); t++) {
        if (frozen.contains(global.tensors().get(t).name())) {
          continue;
        }
        float[] g = global.tensors().get(t).data();
        float[] y = u.parameters().tensors().get(t).data();
        float[] s = sum.tensors().get(t).data();
        for (int i = 0; i < g.length; i++) {
          s[i] += (float) (((double) y[i] - g[i]) * scale);
        }
      }
    }
    double std = sigma * clip;
    for (int t = 0; t < global.tensors().size(); t++) {
      Tensor gt = global.tensors().get(t);
      float[] g = gt.data();
      float[] s = sum.tensors().get(t).data();
      if (frozen.contains(gt.name())) {
        System.arraycopy(g, 0, s, 0, g.length);
        continue;
      }
      for (int i = 0; i < g.length; i++) {
        s[i] = (float) (g[i] + (s[i] + std * random.nextGaussian()) / n);
      }
    }
    if (dp.adaptiveClip()) {
      double share = (unclipped + countSigma * random.nextGaussian()) / n;
      clip =
          clip
              * Math.exp(
                  -DifferentialPrivacy.CLIP_LEARNING_RATE
                      * (share - DifferentialPrivacy.TARGET_QUANTILE));
    }
    return sum;
  }

  /** The uniform mean (local DP: the nodes already clipped and added noise). */
  public Parameters localMean(Parameters global, List<NodeUpdate> updates) {
    return Mean.uniform(global, updates);
  }

  /** The accountant and the clipping norm, for a checkpoint. */
  public Map<String, String> state() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(STATE_ACCOUNTANT, accountant.state());
    s.put(STATE_CLIP, Double.toString(clip));
    return s;
  }

  /**
   * Continues from {@link #state()} (a resumed run); an empty state (a checkpoint of a run without
   * DP) is refused.
   */
  public void restore(Map<String, String> state) {
    String a = state.get(STATE_ACCOUNTANT);
    String c = state.get(STATE_CLIP);
    if (a == null || c == null) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the checkpoint holds no privacy accountant: the run did not use --dp; resume it"
              + " without --dp");
    }
    accountant = RdpAccountant.fromState(a);
    try {
      clip = Double.parseDouble(c);
    } catch (NumberFormatException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "the checkpoint's clipping norm '" + c + "' is not a number");
    }
  }

  /** Rounds accounted. */
  public int rounds() {
    return accountant.steps();
  }
}
