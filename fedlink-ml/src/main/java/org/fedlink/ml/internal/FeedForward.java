package org.fedlink.ml.internal;

import java.util.Arrays;
import org.fedlink.core.Tensor;

/**
 * A fully connected network in double precision: standardization by fixed {@code norm.mean} and
 * {@code norm.scale}, ReLU hidden layers, a linear output layer and softmax cross-entropy. With no
 * hidden layer it is multinomial logistic regression.
 *
 * <p>All trainable values live in one flat array {@link #theta()} (for each layer its weight,
 * {@code [out, in]} row-major, then its bias), so optimizers and the proximal term are plain loops.
 * {@link NetworkParameters} converts to and from named tensors. Holds per-layer scratch buffers:
 * not thread-safe, create one per task.
 */
public final class FeedForward {
  public static final String NORM_MEAN = NetworkParameters.NORM_MEAN;
  public static final String NORM_SCALE = NetworkParameters.NORM_SCALE;

  private final int[] sizes;
  private final Tensor normMean;
  private final Tensor normScale;
  private final double[] mean;
  private final double[] scale;
  private final double[] theta;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final double[][] act;
  private final double[][] delta;

  private FeedForward(int[] sizes, Tensor normMean, Tensor normScale, double[] theta) {
    this.sizes = sizes;
    this.normMean = normMean;
    this.normScale = normScale;
    this.mean = toDouble(normMean.data());
    this.scale = toDouble(normScale.data());
    int layers = sizes.length - 1;
    weightOffset = new int[layers];
    biasOffset = new int[layers];
    int off = 0;
    for (int l = 0; l < layers; l++) {
      weightOffset[l] = off;
      off += sizes[l] * sizes[l + 1];
      biasOffset[l] = off;
      off += sizes[l + 1];
    }
    if (theta.length != off) {
      throw new IllegalStateException("theta has " + theta.length + " values, layout needs " + off);
    }
    this.theta = theta;
    act = new double[sizes.length][];
    delta = new double[sizes.length][];
    for (int l = 0; l < sizes.length; l++) {
      act[l] = new double[sizes[l]];
      delta[l] = new double[sizes[l]];
    }
  }

  /** Number of trainable values for these layer sizes (inputs, hidden..., classes). */
  public static int parameterCount(int[] sizes) {
    int n = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      n += sizes[l] * sizes[l + 1] + sizes[l + 1];
    }
    return n;
  }

  /** A network with the given layout, standardization and trainable values (taken, not copied). */
  public static FeedForward of(int[] sizes, float[] mean, float[] scale, double[] theta) {
    return of(
        sizes,
        new Tensor(NORM_MEAN, new int[] {mean.length}, mean.clone()),
        new Tensor(NORM_SCALE, new int[] {scale.length}, scale.clone()),
        theta);
  }

  /** As {@link #of(int[], float[], float[], double[])}, keeping the given norm tensors. */
  static FeedForward of(int[] sizes, Tensor normMean, Tensor normScale, double[] theta) {
    return new FeedForward(sizes.clone(), normMean, normScale, theta);
  }

  /** Layer sizes: inputs, hidden layers, classes. */
  public int[] sizes() {
    return sizes.clone();
  }

  /** The fixed standardization tensors, shared (callers copy before handing them out). */
  Tensor normMean() {
    return normMean;
  }

  Tensor normScale() {
    return normScale;
  }

  /** The trainable values, shared: optimizers update them in place. */
  public double[] theta() {
    return theta;
  }

  public int inputs() {
    return sizes[0];
  }

  public int classes() {
    return sizes[sizes.length - 1];
  }

  /**
   * Forward pass of one row; leaves the logits in the output buffer and returns the cross-entropy
   * loss of {@code label}.
   */
  public double forward(float[] x, int row, int label) {
    int d = sizes[0];
    int off = row * d;
    double[] a0 = act[0];
    for (int j = 0; j < d; j++) {
      a0[j] = (x[off + j] - mean[j]) * scale[j];
    }
    int last = sizes.length - 1;
    for (int l = 0; l < last; l++) {
      double[] in = act[l];
      double[] out = act[l + 1];
      int nIn = sizes[l];
      int w = weightOffset[l];
      int b = biasOffset[l];
      boolean hidden = l + 1 < last;
      for (int o = 0; o < out.length; o++) {
        double z = theta[b + o];
        int row0 = w + o * nIn;
        for (int i = 0; i < nIn; i++) {
          z += theta[row0 + i] * in[i];
        }
        out[o] = hidden && z < 0 ? 0 : z;
      }
    }
    double[] logits = act[last];
    double max = Double.NEGATIVE_INFINITY;
    for (double z : logits) {
      max = Math.max(max, z);
    }
    double sum = 0;
    for (double z : logits) {
      sum += Math.exp(z - max);
    }
    return max + Math.log(sum) - logits[label];
  }

  /** Index of the largest logit after {@link #forward}. */
  public int predicted() {
    double[] logits = act[sizes.length - 1];
    int best = 0;
    for (int c = 1; c < logits.length; c++) {
      if (logits[c] > logits[best]) {
        best = c;
      }
    }
    return best;
  }

  /**
   * Adds the gradient of one row's cross-entropy loss to {@code grad} (layout of {@link #theta()})
   * and returns that loss.
   */
  public double accumulate(float[] x, int row, int label, double[] grad) {
    double loss = forward(x, row, label);
    int last = sizes.length - 1;
    double[] logits = act[last];
    double[] dOut = delta[last];
    double lse = loss + logits[label];
    for (int c = 0; c < logits.length; c++) {
      dOut[c] = Math.exp(logits[c] - lse) - (c == label ? 1 : 0);
    }
    for (int l = last - 1; l >= 0; l--) {
      double[] in = act[l];
      double[] dO = delta[l + 1];
      double[] dI = delta[l];
      int nIn = sizes[l];
      int w = weightOffset[l];
      int b = biasOffset[l];
      if (l > 0) {
        Arrays.fill(dI, 0);
      }
      for (int o = 0; o < dO.length; o++) {
        double g = dO[o];
        if (g == 0) {
          continue;
        }
        grad[b + o] += g;
        int row0 = w + o * nIn;
        for (int i = 0; i < nIn; i++) {
          grad[row0 + i] += g * in[i];
        }
        if (l > 0) {
          for (int i = 0; i < nIn; i++) {
            dI[i] += theta[row0 + i] * g;
          }
        }
      }
      if (l > 0) {
        for (int i = 0; i < nIn; i++) {
          if (in[i] <= 0) {
            dI[i] = 0;
          }
        }
      }
    }
    return loss;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
