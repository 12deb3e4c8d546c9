package org.fedlink.researcher.privacy;

import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Rényi differential privacy accountant for the sampled Gaussian mechanism (Mironov, Talwar and
 * Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", 2019): each step releases
 * a sum of clipped contributions, each included with probability {@code q}, with Gaussian noise of
 * standard deviation {@code sigma} times the clipping norm. The RDP of every order composes by
 * addition; {@link #epsilon(double)} converts to (epsilon, delta) with {@code epsilon = min over
 * alpha of rdp(alpha) - log(delta) / (alpha - 1)} (Mironov 2017, Proposition 3).
 *
 * <p>Orders are those of TF-Privacy's and Opacus's default accountants (1.1, 1.2, ..., 10.9, then
 * 12 to 63): integer orders use the exact binomial expansion, fractional ones the two-sided series
 * of the paper (Section 3.3). The figures match TF-Privacy's published ones (see the tests).
 *
 * <p>Mutable: {@link #step} adds a step. Not thread-safe.
 */
public final class RdpAccountant {
  /** The RDP orders tracked. */
  public static final double[] ORDERS = orders();

  private final double[] rdp = new double[ORDERS.length];
  private int steps;

  private static double[] orders() {
    double[] o = new double[99 + 52];
    int k = 0;
    for (int x = 1; x < 100; x++) {
      o[k++] = 1 + x / 10.0;
    }
    for (int a = 12; a < 64; a++) {
      o[k++] = a;
    }
    return o;
  }

  /**
   * Adds {@code count} steps of the sampled Gaussian mechanism.
   *
   * @param q sampling probability in [0, 1]
   * @param sigma noise multiplier (noise standard deviation over the L2 sensitivity), >= 0
   */
  public void step(double q, double sigma, int count) {
    double[] per = rdp(q, sigma);
    for (int i = 0; i < rdp.length; i++) {
      rdp[i] += per[i] * count;
    }
    steps += count;
  }

  /** One step; see {@link #step(double, double, int)}. */
  public void step(double q, double sigma) {
    step(q, sigma, 1);
  }

  public int steps() {
    return steps;
  }

  /** Epsilon for {@code delta} after the steps taken. */
  public double epsilon(double delta) {
    return epsilon(rdp, delta);
  }

  /** Epsilon for {@code delta} if one more step of (q, sigma) were taken, without taking it. */
  public double epsilonAfter(double q, double sigma, double delta) {
    double[] per = rdp(q, sigma);
    double[] sum = rdp.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += per[i];
    }
    return epsilon(sum, delta);
  }

  /** The order at which {@link #epsilon} is reached. */
  public double bestOrder(double delta) {
    double best = Double.POSITIVE_INFINITY;
    double order = Double.NaN;
    for (int i = 0; i < ORDERS.length; i++) {
      double e = rdp[i] - Math.log(delta) / (ORDERS[i] - 1);
      if (e < best) {
        best = e;
        order = ORDERS[i];
      }
    }
    return order;
  }

  private static double epsilon(double[] rdp, double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "delta " + delta + " must be in (0, 1), e.g. 1e-5");
    }
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < ORDERS.length; i++) {
      best = Math.min(best, rdp[i] - Math.log(delta) / (ORDERS[i] - 1));
    }
    return Math.max(0, best);
  }

  /** The RDP of one step at every order. */
  static double[] rdp(double q, double sigma) {
    if (!(q >= 0 && q <= 1)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "sampling probability " + q + " must be in [0, 1]");
    }
    if (!(sigma >= 0) || Double.isNaN(sigma)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "noise multiplier " + sigma + " must be >= 0");
    }
    double[] out = new double[ORDERS.length];
    for (int i = 0; i < ORDERS.length; i++) {
      out[i] = rdpOf(q, sigma, ORDERS[i]);
    }
    return out;
  }

  static double rdpOf(double q, double sigma, double alpha) {
    if (q == 0) {
      return 0;
    }
    if (sigma == 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (q == 1) {
      return alpha / (2 * sigma * sigma);
    }
    if (Double.isInfinite(sigma)) {
      return 0;
    }
    double logA =
        alpha == Math.rint(alpha) ? logAInt(q, sigma, (int) alpha) : logAFrac(q, sigma, alpha);
    return logA / (alpha - 1);
  }

  /** log A_alpha for integer alpha: the binomial expansion (Mironov et al., Section 3.3). */
  static double logAInt(double q, double sigma, int alpha) {
    double logA = Double.NEGATIVE_INFINITY;
    double logBinom = 0; // log C(alpha, i)
    for (int i = 0; i <= alpha; i++) {
      if (i > 0) {
        logBinom += Math.log(alpha - i + 1) - Math.log(i);
      }
      double s =
          logBinom
              + i * Math.log(q)
              + (alpha - i) * Math.log1p(-q)
              + (i * (double) i - i) / (2 * sigma * sigma);
      logA = logAdd(logA, s);
    }
    return logA;
  }

  /** log A_alpha for fractional alpha: the two series of the paper, summed until negligible. */
  static double logAFrac(double q, double sigma, double alpha) {
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    double logAbsCoef = 0; // log |C(alpha, i)|
    int sign = 1;
    for (int i = 0; ; i++) {
      if (i > 0) {
        double factor = (alpha - i + 1) / i;
        logAbsCoef += Math.log(Math.abs(factor));
        sign *= factor < 0 ? -1 : 1;
      }
      double j = alpha - i;
      double logT0 = logAbsCoef + i * Math.log(q) + j * Math.log1p(-q);
      double logT1 = logAbsCoef + j * Math.log(q) + i * Math.log1p(-q);
      double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
      double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
      double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
      double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
      if (sign > 0) {
        logA0 = logAdd(logA0, logS0);
        logA1 = logAdd(logA1, logS1);
      } else {
        logA0 = logSub(logA0, logS0);
        logA1 = logSub(logA1, logS1);
      }
      if (Math.max(logS0, logS1) < -30 || i > 10_000) {
        break;
      }
    }
    return logAdd(logA0, logA1);
  }

  static double logAdd(double x, double y) {
    double a = Math.min(x, y);
    double b = Math.max(x, y);
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    return Math.log1p(Math.exp(a - b)) + b;
  }

  /** log(exp(x) - exp(y)) for x >= y. */
  static double logSub(double x, double y) {
    if (y == Double.NEGATIVE_INFINITY) {
      return x;
    }
    if (x <= y) {
      return Double.NEGATIVE_INFINITY; // the series' partial sums stay positive; guard rounding
    }
    return x + Math.log1p(-Math.exp(y - x));
  }

  /**
   * log erfc(x), from the Chebyshev fit of erfc in Numerical Recipes (§6.2, fractional error below
   * 1.2e-7 everywhere), which is a product with an exponential and so stays finite in log form for
   * large x where erfc itself underflows.
   */
  static double logErfc(double x) {
    if (x < 0) {
      return Math.log(2 - Math.exp(logErfc(-x)));
    }
    double t = 1 / (1 + 0.5 * x);
    double poly =
        -x * x
            - 1.26551223
            + t
                * (1.00002368
                    + t
                        * (0.37409196
                            + t
                                * (0.09678418
                                    + t
                                        * (-0.18628806
                                            + t
                                                * (0.27886807
                                                    + t
                                                        * (-1.13520398
                                                            + t
                                                                * (1.48851587
                                                                    + t
                                                                        * (-0.82215223
                                                                            + t
                                                                                * 0.17087277))))))));
    return Math.log(t) + poly;
  }

  /** The accumulated RDP and step count, for a checkpoint. */
  public String state() {
    StringJoiner j = new StringJoiner(",");
    j.add(Integer.toString(steps));
    for (double v : rdp) {
      j.add(Double.toString(v));
    }
    return j.toString();
  }

  /**
   * An accountant continuing from {@link #state()}.
   *
   * @throws FedlinkException INVALID_ARGUMENT if {@code state} is not one
   */
  public static RdpAccountant fromState(String state) {
    String[] parts = state.split(",");
    if (parts.length != ORDERS.length + 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "accountant state has " + parts.length + " values, expected " + (ORDERS.length + 1));
    }
    RdpAccountant a = new RdpAccountant();
    try {
      a.steps = Integer.parseInt(parts[0]);
      for (int i = 0; i < ORDERS.length; i++) {
        a.rdp[i] = Double.parseDouble(parts[i + 1]);
        if (!(a.rdp[i] >= 0)) {
          throw new NumberFormatException("negative");
        }
      }
    } catch (NumberFormatException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "accountant state holds a value that is not a number >= 0");
    }
    return a;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "RdpAccountant[%d steps, %s]", steps, Arrays.toString(rdp));
  }
}
