package org.fedlink.ml;

import java.util.Objects;

/**
 * A data set cut in two disjoint parts.
 *
 * @param train rows to train on
 * @param test held-out rows to evaluate on
 */
public record TrainTestSplit(Dataset train, Dataset test) {
  public TrainTestSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
  }
}
