package org.fedlink.researcher.strategies;

import java.util.Arrays;

/**
 * Coordinate-wise median (Yin et al., "Byzantine-Robust Distributed Learning", ICML 2018): each
 * value of the next model is the median of that value over the updates (the mean of the two middle
 * ones for an even count). Tolerates fewer than half Byzantine updates. Stateless.
 */
public final class CoordinateMedian extends RobustAggregator {
  @Override
  public String name() {
    return "median";
  }

  @Override
  public int minimumNodes() {
    return 1;
  }

  @Override
  String minimumReason() {
    return "a median needs a value";
  }

  @Override
  float[] combine(float[][] rows) {
    int n = rows.length;
    float[] out = new float[rows[0].length];
    float[] column = new float[n];
    for (int i = 0; i < out.length; i++) {
      for (int k = 0; k < n; k++) {
        column[k] = rows[k][i];
      }
      Arrays.sort(column);
      out[i] =
          n % 2 == 1 ? column[n / 2] : (float) (((double) column[n / 2 - 1] + column[n / 2]) / 2);
    }
    return out;
  }
}
