package org.fedlink.researcher.strategies;

import java.util.Objects;
import org.fedlink.core.Parameters;

/**
 * One node's trained model for a round.
 *
 * @param nodeId the node
 * @param parameters its trained weights
 * @param numExamples how many examples it trained on, the update's weight
 */
public record NodeUpdate(long nodeId, Parameters parameters, long numExamples) {
  public NodeUpdate {
    Objects.requireNonNull(parameters, "parameters");
    if (numExamples < 0) {
      throw new IllegalArgumentException("numExamples must not be negative: " + numExamples);
    }
  }
}
