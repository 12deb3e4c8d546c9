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
    float w0 = (float) (weights[0] / total);
    float[] first = updates[0];
    for (int i = 0; i < n; i++) {
      out[i] = w0 * first[i];
    }
    for (int k = 1; k < updates.length; k++) {
      float w = (float) (weights[k] / total);
      float[] u = updates[k];
      for (int i = 0; i < n; i++) {
        out[i] += w * u[i];
      }
    }
  }
}
