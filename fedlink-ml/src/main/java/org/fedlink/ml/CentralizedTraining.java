package org.fedlink.ml;

import org.fedlink.core.Parameters;

/**
 * The baseline a federation is compared with: the same plan trained on all the data in one place,
 * exactly as a federation of a single node would run it. Stateless and thread-safe.
 */
public final class CentralizedTraining {
  private CentralizedTraining() {}

  /**
   * Initializes {@code plan} from {@code DataSummary.of(data)} and runs {@code rounds} calls of
   * {@link TrainingPlan#train}, each starting from the previous result (so {@code rounds *
   * args.epochs()} epochs in all, with the optimizer state reset between rounds as on a node).
   *
   * @return the trained parameters
   * @throws IllegalArgumentException if {@code rounds < 1}
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if the plan rejects the data
   */
  public static Parameters train(TrainingPlan plan, Dataset data, TrainingArgs args, int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1: " + rounds);
    }
    Parameters model = plan.initialize(DataSummary.of(data), args);
    for (int round = 0; round < rounds; round++) {
      model = plan.train(model, data, args).parameters();
    }
    return model;
  }

  /** {@link #train} then {@link TrainingPlan#evaluate} on {@code test}. */
  public static Metrics trainAndEvaluate(
      TrainingPlan plan, Dataset train, Dataset test, TrainingArgs args, int rounds) {
    return plan.evaluate(train(plan, train, args, rounds), test);
  }
}
