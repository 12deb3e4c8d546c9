package org.fedlink.researcher.strategies;

import java.util.Arrays;

/**
 * Coordinate-wise trimmed mean (Yin et al., ICML 2018): for each value, the {@code floor(beta n)}
 * largest and as many smallest of the n updates are dropped and the rest averaged. Tolerates up to
 * that many Byzantine updates per side. Stateless.
 */
public final class TrimmedMean extends RobustAggregator {
  private final double beta;

  /**
   * @param beta the share trimmed at each end, in [0, 0.5)
   */
  public TrimmedMean(double beta) {
    if (!(beta >= 0 && beta < 0.5)) {
      throw bad(
          "trimmed mean beta "
              + beta
              + " must be in [0, 0.5): the share of updates dropped at each end");
    }
    this.beta = beta;
  }

  public double beta() {
    return beta;
  }

  @Override
  public java.util.Map<String, String> hyperparameters() {
    return java.util.Map.of("beta", Double.toString(beta));
  }

  @Override
  public String name() {
    return "trimmed-mean";
  }

  /** At least one update; with beta > 0, enough for one to be trimmed at each end. */
  @Override
  public int minimumNodes() {
    return beta == 0 ? 1 : (int) Math.ceil(1 / beta);
  }

  @Override
  String minimumReason() {
    return "with beta " + beta + " fewer updates would trim none, leaving Byzantine ones in";
  }

  @Override
  float[] combine(float[][] rows) {
    int n = rows.length;
    int trim = (int) Math.floor(beta * n);
    int kept = n - 2 * trim;
    float[] out = new float[rows[0].length];
    float[] column = new float[n];
    for (int i = 0; i < out.length; i++) {
      for (int k = 0; k < n; k++) {
        column[k] = rows[k][i];
      }
      Arrays.sort(column);
      double sum = 0;
      for (int k = trim; k < n - trim; k++) {
        sum += column[k];
      }
      out[i] = (float) (sum / kept);
    }
    return out;
  }
}
