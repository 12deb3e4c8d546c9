package org.fedlink.ml;

import java.util.Map;
import java.util.Objects;
import org.fedlink.core.Parameters;

/**
 * The outcome of local training on one node.
 *
 * @param parameters the trained weights
 * @param numExamples the number of training examples, the weight of this update in FedAvg
 * @param metrics training metrics such as {@code train_loss}
 */
public record LocalUpdate(Parameters parameters, long numExamples, Map<String, Double> metrics) {
  public LocalUpdate {
    Objects.requireNonNull(parameters, "parameters");
    metrics = Map.copyOf(metrics);
    if (numExamples < 0) {
      throw new IllegalArgumentException("numExamples must not be negative: " + numExamples);
    }
  }
}
