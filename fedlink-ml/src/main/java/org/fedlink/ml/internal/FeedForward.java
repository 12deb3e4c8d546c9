package org.fedlink.ml.internal;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * A fully connected network in double precision: standardization by fixed {@code norm.mean} and
 * {@code norm.scale}, ReLU hidden layers, a linear output layer and softmax cross-entropy. With no
 * hidden layer it is multinomial logistic regression.
 *
 * <p>All trainable values live in one flat array {@link #theta()} (for each layer its weight,
 * {@code [out, in]} row-major, then its bias), so optimizers and the proximal term are plain loops.
 * Holds per-layer scratch buffers: not thread-safe, create one per task.
 */
public final class FeedForward {
  public static final String NORM_MEAN = "norm.mean";
  public static final String NORM_SCALE = "norm.scale";

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
    return new FeedForward(
        sizes.clone(),
        new Tensor(NORM_MEAN, new int[] {mean.length}, mean.clone()),
        new Tensor(NORM_SCALE, new int[] {scale.length}, scale.clone()),
        theta);
  }

  /**
   * Reads a model written by {@link #toParameters()}: the norm tensors then {@code layer<i>.weight}
   * and {@code layer<i>.bias} for i = 0, 1, ... The layout comes from the tensors themselves.
   *
   * @throws FedlinkException INVALID_ARGUMENT naming the missing or mis-shaped tensor
   */
  public static FeedForward fromParameters(Parameters p) {
    Tensor m = p.get(NORM_MEAN);
    Tensor s = p.get(NORM_SCALE);
    List<Integer> sizes = new ArrayList<>();
    sizes.add(m.size());
    if (s.size() != m.size()) {
      throw bad(NORM_SCALE + " has " + s.size() + " values but " + NORM_MEAN + " has " + m.size());
    }
    List<float[]> chunks = new ArrayList<>();
    for (int l = 0; p.contains(weightName(l)); l++) {
      Tensor w = p.get(weightName(l));
      Tensor b = p.get(biasName(l));
      int in = sizes.get(l);
      if (w.shape().length != 2 || w.shape()[1] != in || b.size() != w.shape()[0]) {
        throw bad(
            "layer " + l + " has weight " + shape(w) + " and bias " + shape(b) + ", input " + in);
      }
      sizes.add(w.shape()[0]);
      chunks.add(w.data());
      chunks.add(b.data());
    }
    if (sizes.size() < 2) {
      throw bad("no tensor named " + weightName(0) + "; have " + names(p));
    }
    int[] layout = sizes.stream().mapToInt(Integer::intValue).toArray();
    double[] theta = new double[parameterCount(layout)];
    int off = 0;
    for (float[] c : chunks) {
      for (float v : c) {
        theta[off++] = v;
      }
    }
    return new FeedForward(layout, m.copy(), s.copy(), theta);
  }

  /** The model as parameters; the norm tensors are copied through bit for bit. */
  public Parameters toParameters() {
    List<Tensor> out = new ArrayList<>();
    out.add(normMean.copy());
    out.add(normScale.copy());
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int outN = sizes[l + 1];
      out.add(new Tensor(weightName(l), new int[] {outN, in}, toFloat(weightOffset[l], in * outN)));
      out.add(new Tensor(biasName(l), new int[] {outN}, toFloat(biasOffset[l], outN)));
    }
    return Parameters.of(out);
  }

  public static String weightName(int layer) {
    return "layer" + layer + ".weight";
  }

  public static String biasName(int layer) {
    return "layer" + layer + ".bias";
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
        java.util.Arrays.fill(dI, 0);
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

  private float[] toFloat(int from, int len) {
    float[] f = new float[len];
    for (int i = 0; i < len; i++) {
      f[i] = (float) theta[from + i];
    }
    return f;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  private static String shape(Tensor t) {
    return java.util.Arrays.toString(t.shape());
  }

  private static List<String> names(Parameters p) {
    return p.tensors().stream().map(Tensor::name).toList();
  }

  private static FedlinkException bad(String what) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT, "model parameters are not a feed-forward network: " + what);
  }
}
