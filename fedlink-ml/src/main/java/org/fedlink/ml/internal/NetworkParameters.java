package org.fedlink.ml.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * The tensor layout of a {@link FeedForward} model: {@code norm.mean} and {@code norm.scale} (fixed
 * standardization), then {@code layer<i>.weight} {@code [out, in]} and {@code layer<i>.bias} {@code
 * [out]} for i = 0, 1, ... The layer sizes are read from the tensors, so a model describes itself.
 * Stateless and thread-safe.
 */
public final class NetworkParameters {
  public static final String NORM_MEAN = "norm.mean";
  public static final String NORM_SCALE = "norm.scale";

  private NetworkParameters() {}

  public static String weightName(int layer) {
    return "layer" + layer + ".weight";
  }

  public static String biasName(int layer) {
    return "layer" + layer + ".bias";
  }

  /**
   * Reads a model; the values are copied into a new network.
   *
   * @throws FedlinkException INVALID_ARGUMENT naming the missing or mis-shaped tensor
   */
  public static FeedForward read(Parameters p) {
    Tensor m = p.get(NORM_MEAN);
    Tensor s = p.get(NORM_SCALE);
    if (s.size() != m.size()) {
      throw bad(NORM_SCALE + " has " + s.size() + " values but " + NORM_MEAN + " has " + m.size());
    }
    List<Integer> sizes = new ArrayList<>();
    sizes.add(m.size());
    List<float[]> chunks = new ArrayList<>();
    for (int l = 0; p.contains(weightName(l)); l++) {
      Tensor w = p.get(weightName(l));
      Tensor b = p.get(biasName(l));
      int in = sizes.get(l);
      if (w.shape().length != 2 || w.shape()[1] != in || b.size() != w.shape()[0]) {
        throw bad(
            "layer "
                + l
                + " has weight "
                + Arrays.toString(w.shape())
                + " and bias "
                + Arrays.toString(b.shape())
                + ", input "
                + in);
      }
      sizes.add(w.shape()[0]);
      chunks.add(w.data());
      chunks.add(b.data());
    }
    if (sizes.size() < 2) {
      throw bad(
          "no tensor named "
              + weightName(0)
              + "; have "
              + p.tensors().stream().map(Tensor::name).toList());
    }
    int[] layout = sizes.stream().mapToInt(Integer::intValue).toArray();
    double[] theta = new double[FeedForward.parameterCount(layout)];
    int off = 0;
    for (float[] c : chunks) {
      for (float v : c) {
        theta[off++] = v;
      }
    }
    return FeedForward.of(layout, m.copy(), s.copy(), theta);
  }

  /** Writes a model; the norm tensors are copied through bit for bit. */
  public static Parameters write(FeedForward net) {
    int[] sizes = net.sizes();
    double[] theta = net.theta();
    List<Tensor> out = new ArrayList<>();
    out.add(net.normMean().copy());
    out.add(net.normScale().copy());
    int off = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int n = sizes[l + 1];
      out.add(new Tensor(weightName(l), new int[] {n, in}, toFloat(theta, off, in * n)));
      off += in * n;
      out.add(new Tensor(biasName(l), new int[] {n}, toFloat(theta, off, n)));
      off += n;
    }
    return Parameters.of(out);
  }

  private static float[] toFloat(double[] a, int from, int len) {
    float[] f = new float[len];
    for (int i = 0; i < len; i++) {
      f[i] = (float) a[from + i];
    }
    return f;
  }

  private static FedlinkException bad(String what) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT, "model parameters are not a feed-forward network: " + what);
  }
}
