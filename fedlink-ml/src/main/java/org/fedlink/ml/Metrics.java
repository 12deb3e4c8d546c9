package org.fedlink.ml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation of a model on a data set.
 *
 * @param loss mean cross-entropy loss
 * @param accuracy fraction of rows classified correctly, in [0, 1]
 * @param count number of rows evaluated
 */
public record Metrics(double loss, double accuracy, long count) {
  public static final String LOSS = "loss";
  public static final String ACCURACY = "accuracy";

  /** The metrics as a map: {@code loss}, {@code accuracy}. */
  public Map<String, Double> toMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(LOSS, loss);
    m.put(ACCURACY, accuracy);
    return m;
  }
}
