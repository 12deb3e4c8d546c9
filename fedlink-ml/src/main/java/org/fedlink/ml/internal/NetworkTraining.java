package org.fedlink.ml.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;

/**
 * Local training and evaluation of a {@link FeedForward} model: shuffled mini-batches, mean
 * cross-entropy, optional FedProx term {@code mu/2 ||w - w_global||^2} over the trainable values.
 * Stateless and thread-safe.
 */
public final class NetworkTraining {
  public static final String TRAIN_LOSS = "train_loss";

  private NetworkTraining() {}

  /**
   * Trains from {@code global} on {@code data}; never modifies {@code global}. The shuffling seed
   * is {@code args.seed()} mixed with a hash of the global weights, so successive rounds (different
   * global models) see different orders while a repeated call is reproducible.
   *
   * @throws FedlinkException INVALID_ARGUMENT if the data is empty or does not fit the model;
   *     TASK_FAILED if training diverges (a loss or weight that is not finite)
   */
  public static LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
    return train(global, data, args, null);
  }

  /**
   * As {@link #train(Parameters, Dataset, TrainingArgs)}, adding {@code correction} (null for none;
   * SCAFFOLD's {@code c - c_i}, layout of {@code global}) to every mini-batch gradient.
   */
  public static LocalUpdate train(
      Parameters global, Dataset data, TrainingArgs args, Parameters correction) {
    double[] shift = null;
    if (correction != null) {
      global.requireSameLayout(correction, "SCAFFOLD correction");
      shift = NetworkParameters.read(correction).theta();
    }
    FeedForward net = NetworkParameters.read(global);
    requireFits(net, data);
    if (data.rows() == 0) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "the training data set has no rows; nothing to train on");
    }
    double[] theta = net.theta();
    double[] anchor = args.proximalMu() > 0 ? theta.clone() : null;
    double mu = args.proximalMu();
    Optimizer optimizer = Optimizer.of(args, theta.length);
    Random random = new Random(args.seed() * 0x9E3779B97F4A7C15L ^ Arrays.hashCode(theta));
    int n = data.rows();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] grad = new double[theta.length];
    float[] x = data.x();
    int[] y = data.y();
    double epochLoss = 0;
    for (int epoch = 0; epoch < args.epochs(); epoch++) {
      shuffle(order, random);
      epochLoss = 0;
      for (int start = 0; start < n; start += args.batchSize()) {
        int end = Math.min(n, start + args.batchSize());
        Arrays.fill(grad, 0);
        for (int k = start; k < end; k++) {
          epochLoss += net.accumulate(x, order[k], y[order[k]], grad);
        }
        double inv = 1.0 / (end - start);
        for (int i = 0; i < grad.length; i++) {
          grad[i] *= inv;
        }
        if (anchor != null) {
          for (int i = 0; i < grad.length; i++) {
            grad[i] += mu * (theta[i] - anchor[i]);
          }
        }
        if (shift != null) {
          for (int i = 0; i < grad.length; i++) {
            grad[i] += shift[i];
          }
        }
        optimizer.step(theta, grad);
      }
      requireFinite(epochLoss, theta, epoch, args);
    }
    return new LocalUpdate(NetworkParameters.write(net), n, Map.of(TRAIN_LOSS, epochLoss / n));
  }

  /**
   * Mean cross-entropy and accuracy of {@code parameters} on {@code data}; an empty set gives loss
   * 0, accuracy 0 and count 0.
   *
   * @throws FedlinkException INVALID_ARGUMENT if the data does not fit the model
   */
  public static Metrics evaluate(Parameters parameters, Dataset data) {
    FeedForward net = NetworkParameters.read(parameters);
    requireFits(net, data);
    if (data.rows() == 0) {
      return new Metrics(0, 0, 0);
    }
    double loss = 0;
    long correct = 0;
    float[] x = data.x();
    int[] y = data.y();
    for (int r = 0; r < data.rows(); r++) {
      loss += net.forward(x, r, y[r]);
      if (net.predicted() == y[r]) {
        correct++;
      }
    }
    return new Metrics(loss / data.rows(), (double) correct / data.rows(), data.rows());
  }

  /** Standardization tensors for data with this per-feature mean and standard deviation. */
  public static Tensor[] normTensors(double[] mean, double[] std) {
    float[] m = new float[mean.length];
    float[] s = new float[std.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = (float) mean[j];
      s[j] = (float) (1.0 / std[j]);
    }
    return new Tensor[] {
      new Tensor(FeedForward.NORM_MEAN, new int[] {m.length}, m),
      new Tensor(FeedForward.NORM_SCALE, new int[] {s.length}, s)
    };
  }

  private static void requireFits(FeedForward net, Dataset data) {
    if (data.cols() != net.inputs()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the model expects "
              + net.inputs()
              + " features but the data has "
              + data.cols()
              + "; train and evaluate on data with the same columns");
    }
    int[] y = data.y();
    for (int r = 0; r < y.length; r++) {
      if (y[r] < 0 || y[r] >= net.classes()) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "label "
                + y[r]
                + " at row "
                + r
                + " is outside the model's classes 0.."
                + (net.classes() - 1)
                + "; initialize the model from a summary that covers every label");
      }
    }
  }

  /** A diverged model must not reach the aggregator: one NaN poisons the global average. */
  private static void requireFinite(double loss, double[] theta, int epoch, TrainingArgs args) {
    boolean finite = Double.isFinite(loss);
    for (int i = 0; finite && i < theta.length; i++) {
      finite = Double.isFinite(theta[i]) && Math.abs(theta[i]) <= Float.MAX_VALUE;
    }
    if (!finite) {
      throw new FedlinkException(
          ErrorCode.TASK_FAILED,
          "local training diverged in epoch "
              + (epoch + 1)
              + " (loss "
              + loss
              + "); lower "
              + TrainingArgs.LEARNING_RATE
              + " (now "
              + args.learningRate()
              + ")");
    }
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
