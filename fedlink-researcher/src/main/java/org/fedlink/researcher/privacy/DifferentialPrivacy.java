package org.fedlink.researcher.privacy;

import java.util.Locale;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The researcher's choice of differential privacy, passed to {@code
 * Experiment.builder().differentialPrivacy(...)}. The guarantee is at the level of nodes: two
 * federations that differ by one node's whole data are hard to tell apart from the released models.
 *
 * <ul>
 *   <li>{@code central}: the researcher (trusted) clips each node's update to L2 norm {@code
 *       clipNorm}, averages them with equal weights and adds Gaussian noise of standard deviation
 *       {@code noiseMultiplier * clipNorm / n} to the mean. With {@code adaptiveClip}, the norm
 *       follows a quantile of the update norms (Andrew et al., "Differentially Private Learning
 *       with Adaptive Clipping", NeurIPS 2021).
 *   <li>{@code local} (distributed): each node clips its own update and adds its share of the noise
 *       before the update leaves it (before encryption under secure aggregation); the shares of any
 *       completed round sum to at least the target noise.
 * </ul>
 *
 * An immutable value; validated by its factory.
 *
 * @param mode central or local
 * @param noiseMultiplier sigma, the noise standard deviation over the clipping norm, > 0
 * @param clipNorm the L2 norm each update is clipped to (the initial one with adaptive clipping)
 * @param adaptiveClip central only: adapt the norm to the {@code targetQuantile} of update norms
 * @param delta the delta of the reported (epsilon, delta), in (0, 1)
 * @param epsilonBudget stop before a round that would bring epsilon above it; infinite for none
 */
public record DifferentialPrivacy(
    Mode mode,
    double noiseMultiplier,
    double clipNorm,
    boolean adaptiveClip,
    double delta,
    double epsilonBudget) {

  /** Where the noise is added. */
  public enum Mode {
    CENTRAL,
    LOCAL;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws FedlinkException INVALID_ARGUMENT naming the allowed values
     */
    public static Mode parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "central" -> CENTRAL;
        case "local" -> LOCAL;
        default -> throw bad("--dp " + s + " is unknown: use central or local");
      };
    }
  }

  /** Andrew et al.'s defaults: the median of the norms, learning rate 0.2 on a log scale. */
  public static final double TARGET_QUANTILE = 0.5;

  public static final double CLIP_LEARNING_RATE = 0.2;

  public DifferentialPrivacy {
    if (mode == null) {
      throw bad("differential privacy needs a mode: central or local");
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw bad(
          "--dp-noise-multiplier "
              + noiseMultiplier
              + " must be a positive number (e.g. 1.0); without noise there is no guarantee");
    }
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw bad("--dp-clip-norm " + clipNorm + " must be a positive number (e.g. 1.0)");
    }
    if (!(delta > 0 && delta < 1)) {
      throw bad("--dp-delta " + delta + " must be in (0, 1), e.g. 1e-5");
    }
    if (!(epsilonBudget > 0) || Double.isNaN(epsilonBudget)) {
      throw bad("--dp-epsilon-budget " + epsilonBudget + " must be a positive number");
    }
    if (adaptiveClip && mode == Mode.LOCAL) {
      throw bad(
          "--dp-adaptive-clip works with --dp central only: with local noise the researcher never"
              + " sees the update norms; give a fixed --dp-clip-norm");
    }
  }

  /**
   * The noise multiplier of the clipped-count estimate in adaptive clipping, as a function of the
   * expected number of nodes per round: {@code n / 20} (Andrew et al.'s choice).
   */
  public static double countNoise(int nodes) {
    return nodes / 20.0;
  }

  /**
   * The noise multiplier left for the update when {@code countSigma} goes to the count: {@code
   * (sigma^-2 - (2 countSigma)^-2)^-1/2} (Andrew et al., Theorem 1), so that the two releases
   * together have noise multiplier {@code sigma}.
   *
   * @throws FedlinkException INVALID_ARGUMENT if the count would take all the noise
   */
  public double updateNoise(double countSigma) {
    double rest = 1 / (noiseMultiplier * noiseMultiplier) - 1 / (4 * countSigma * countSigma);
    if (!(rest > 0)) {
      throw bad(
          "adaptive clipping with noise multiplier "
              + noiseMultiplier
              + " and "
              + Math.round(countSigma * 20)
              + " nodes per round leaves no noise for the update; raise --dp-noise-multiplier"
              + " or the number of nodes, or drop --dp-adaptive-clip");
    }
    return 1 / Math.sqrt(rest);
  }

  private static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
