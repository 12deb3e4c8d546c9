package org.fedlink.ml;

import java.util.Random;
import org.fedlink.core.Parameters;
import org.fedlink.ml.internal.Initializer;
import org.fedlink.ml.internal.NetworkTraining;

/**
 * Multi-layer perceptron: standardized features, hidden layers of {@code args.hidden()} sizes with
 * ReLU, a softmax output and cross-entropy loss. Parameters: {@code norm.mean}, {@code norm.scale}
 * (fixed, copied through training unchanged), then {@code layer<i>.weight} {@code [out, in]} and
 * {@code layer<i>.bias} {@code [out]} for each layer. Hidden weights start He-normal, output
 * weights Xavier-normal, biases zero, all drawn from {@code args.seed()}. Training is mini-batch
 * SGD with momentum or Adam, plus the FedProx term when {@code args.proximalMu() > 0}.
 *
 * <p>The layer sizes are read back from the parameters, so {@code train} and {@code evaluate} work
 * on any model {@code initialize} made. Stateless and thread-safe.
 */
public final class MlpPlan implements TrainingPlan {
  public static final String ID = "mlp";

  @Override
  public String id() {
    return ID;
  }

  /**
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if the summary has no rows
   */
  @Override
  public Parameters initialize(DataSummary summary, TrainingArgs args) {
    int[] sizes = Initializer.layout(summary, args.hidden());
    return Initializer.create(summary, sizes, new Random(args.seed()));
  }

  /**
   * Returns the trained parameters, {@code numExamples = data.rows()} and metric {@code train_loss}
   * (mean cross-entropy over the last epoch, before each step).
   *
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if the data is empty, has another
   *     number of features, or a label outside the model's classes; TASK_FAILED if training
   *     diverges (lower the learning rate)
   */
  @Override
  public LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
    return NetworkTraining.train(global, data, args);
  }

  /** The standardization tensors, copied through training unchanged. */
  @Override
  public java.util.Set<String> frozenTensors() {
    return java.util.Set.of(
        org.fedlink.ml.internal.NetworkParameters.NORM_MEAN,
        org.fedlink.ml.internal.NetworkParameters.NORM_SCALE);
  }

  /** SCAFFOLD: {@code correction} is added to every mini-batch gradient. */
  @Override
  public LocalUpdate train(
      Parameters global, Dataset data, TrainingArgs args, Parameters correction) {
    return NetworkTraining.train(global, data, args, correction);
  }

  /**
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if the data does not fit the model
   */
  @Override
  public Metrics evaluate(Parameters parameters, Dataset data) {
    return NetworkTraining.evaluate(parameters, data);
  }

  @Override
  public String toString() {
    return ID;
  }
}
