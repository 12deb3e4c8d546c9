package org.fedlink.cli.demo;

import java.util.Locale;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingArgs;

/**
 * The demo's settings for a bundled data set: plan and hyper-parameters chosen so the federated
 * model reaches the centralized one's accuracy on a non-IID split.
 *
 * @param dataset bundled data set name
 * @param plan built-in training plan
 * @param args local training arguments
 * @param rounds default number of rounds
 * @param alpha Dirichlet concentration of the non-IID split (smaller: more skewed)
 */
public record DemoProfile(
    String dataset, String plan, TrainingArgs args, int rounds, double alpha) {

  /** The profile of a bundled data set. */
  public static DemoProfile of(String dataset) {
    return switch (dataset.toLowerCase(Locale.ROOT)) {
      case "breast-cancer" ->
          new DemoProfile(
              "breast-cancer",
              "logistic-regression",
              TrainingArgs.fromMap(
                  Map.of(
                      TrainingArgs.EPOCHS, "1",
                      TrainingArgs.BATCH_SIZE, "16",
                      TrainingArgs.LEARNING_RATE, "0.05",
                      TrainingArgs.OPTIMIZER, "sgd",
                      TrainingArgs.MOMENTUM, "0.9",
                      TrainingArgs.HIDDEN, "")),
              20,
              0.5);
      case "digits" ->
          new DemoProfile(
              "digits",
              "mlp",
              TrainingArgs.fromMap(
                  Map.of(
                      TrainingArgs.EPOCHS, "2",
                      TrainingArgs.BATCH_SIZE, "32",
                      TrainingArgs.LEARNING_RATE, "0.05",
                      TrainingArgs.OPTIMIZER, "sgd",
                      TrainingArgs.MOMENTUM, "0.9",
                      TrainingArgs.HIDDEN, "64")),
              20,
              0.5);
      default ->
          throw new FedlinkException(
              ErrorCode.INVALID_ARGUMENT,
              "--dataset " + dataset + " is not bundled: use breast-cancer or digits");
    };
  }
}
