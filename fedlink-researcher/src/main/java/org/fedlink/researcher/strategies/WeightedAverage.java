package org.fedlink.researcher.strategies;

/**
 * The hot loop of FedAvg on primitive arrays: {@code out[i] = sum_k w_k * u_k[i] / sum_k w_k}.
 * Streams each update once, in order, so the cost is bounded by memory bandwidth. Stateless.
 */
public final class WeightedAverage {
  private WeightedAverage() {}

  /**
   * Writes the weighted mean of {@code updates} into {@code out}.
   *
   * @param updates arrays of equal length
   * @param weights one finite non-negative weight per update, positive finite sum
   * @throws IllegalArgumentException if lengths differ, a weight is negative, NaN or infinite, or
   *     the weights sum to zero or overflow
   */
  public static void into(float[] out, float[][] updates, double[] weights) {
    if (updates.length != weights.length || updates.length == 0) {
      throw new IllegalArgumentException(
          updates.length + " updates but " + weights.length + " weights");
    }
    double total = 0;
    for (double w : weights) {
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("weight " + w + " must be a finite number >= 0");
      }
      total += w;
    }
    if (total <= 0) {
      throw new IllegalArgumentException("weights sum to zero");
    }
    if (Double.isInfinite(total)) {
      throw new IllegalArgumentException("weights sum to more than " + Double.MAX_VALUE);
    }
    int n = out.length;
    for (float[] u : updates) {
      if (u.length != n) {
        throw new IllegalArgumentException("update of length " + u.length + ", expected " + n);
      }
    }
    float[] w = new float[weights.length];
    for (int k = 0; k < w.length; k++) {
      w[k] = (float) (weights[k] / total);
    }
    range(out, updates, w, 0, n);
  }

  /**
   * Writes {@code sum_k w[k] * updates[k][i]} into {@code out[i]} for {@code i} in [from, to),
   * accumulating update by update in order (the order {@link #into} uses, so both give the same
   * floats). The caller has checked lengths and normalized the weights.
   */
  static void range(float[] out, float[][] updates, float[] w, int from, int to) {
    float w0 = w[0];
    float[] first = updates[0];
    for (int i = from; i < to; i++) {
      out[i] = w0 * first[i];
    }
    for (int k = 1; k < updates.length; k++) {
      float wk = w[k];
      float[] u = updates[k];
      for (int i = from; i < to; i++) {
        out[i] += wk * u[i];
      }
    }
  }
}
