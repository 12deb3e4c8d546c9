package org.fedlink.ml.internal;

import java.util.Random;

/**
 * Draws from a symmetric Dirichlet distribution through normalized Gamma variates (Marsaglia-Tsang,
 * with the {@code U^(1/a)} boost for shapes below 1). Stateless and thread-safe; all randomness
 * comes from the caller's {@link Random}.
 */
public final class Dirichlet {
  private Dirichlet() {}

  /**
   * Fills {@code out} with proportions ~ Dir(alpha, ..., alpha) that sum to 1. When every Gamma
   * variate underflows (tiny alpha), all the mass goes to one uniformly chosen coordinate, which is
   * the distribution's limit.
   */
  public static void sample(double alpha, Random random, double[] out) {
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      out[i] = gamma(alpha, random);
      sum += out[i];
    }
    if (!(sum > 0) || !Double.isFinite(sum)) {
      java.util.Arrays.fill(out, 0);
      out[random.nextInt(out.length)] = 1;
      return;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= sum;
    }
  }

  /** One Gamma(shape, 1) variate; {@code shape > 0}. */
  public static double gamma(double shape, Random random) {
    if (shape < 1) {
      double u = random.nextDouble();
      return gamma(shape + 1, random) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
