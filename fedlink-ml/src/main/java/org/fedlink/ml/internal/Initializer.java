package org.fedlink.ml.internal;

import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.DataSummary;

/**
 * Creates the initial parameters of a {@link FeedForward} model: standardization from a data
 * summary, He-normal weights for ReLU hidden layers, Xavier-normal (Glorot) weights for the output
 * layer, zero biases. Stateless and thread-safe.
 */
public final class Initializer {
  private Initializer() {}

  /**
   * The layer sizes for data described by {@code summary}: its features, {@code hidden}, and at
   * least two classes (so binary data with one class seen still gets a two-class model).
   *
   * @throws FedlinkException INVALID_ARGUMENT if the summary describes no rows
   */
  public static int[] layout(DataSummary summary, int[] hidden) {
    if (summary.count() <= 0) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the data summary describes " + summary.count() + " rows; a model needs at least 1");
    }
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = summary.features();
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = Math.max(2, summary.classes());
    return sizes;
  }

  /**
   * Parameters for {@code sizes}; with {@code random} null every weight is zero (suitable for
   * logistic regression, whose loss is convex).
   */
  public static Parameters create(DataSummary summary, int[] sizes, Random random) {
    double[] theta = new double[FeedForward.parameterCount(sizes)];
    if (random != null) {
      int off = 0;
      for (int l = 0; l + 1 < sizes.length; l++) {
        int in = sizes[l];
        int out = sizes[l + 1];
        boolean output = l + 2 == sizes.length;
        double std = output ? Math.sqrt(2.0 / (in + out)) : Math.sqrt(2.0 / in);
        for (int i = 0; i < in * out; i++) {
          theta[off + i] = std * random.nextGaussian();
        }
        off += in * out + out;
      }
    }
    Tensor[] norm = NetworkTraining.normTensors(summary.mean(), summary.std());
    return NetworkParameters.write(FeedForward.of(sizes, norm[0].data(), norm[1].data(), theta));
  }
}
