package org.fedlink.ml;

import org.fedlink.core.Parameters;
import org.fedlink.ml.internal.Initializer;
import org.fedlink.ml.internal.NetworkTraining;

/**
 * Multinomial (softmax) logistic regression on standardized features; binary data is the two-class
 * case. Parameters: {@code norm.mean}, {@code norm.scale} (fixed standardization, copied through
 * training unchanged), {@code layer0.weight} {@code [classes, features]} and {@code layer0.bias}
 * {@code [classes]}. Weights start at zero. Training is mini-batch SGD with momentum or Adam on the
 * mean cross-entropy, plus the FedProx term when {@code args.proximalMu() > 0}.
 *
 * <p>Stateless and thread-safe. {@code args.hidden()} is ignored.
 */
public final class LogisticRegressionPlan implements TrainingPlan {
  public static final String ID = "logistic-regression";

  @Override
  public String id() {
    return ID;
  }

  /**
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if the summary has no rows
   */
  @Override
  public Parameters initialize(DataSummary summary, TrainingArgs args) {
    return Initializer.create(summary, Initializer.layout(summary, new int[0]), null);
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
