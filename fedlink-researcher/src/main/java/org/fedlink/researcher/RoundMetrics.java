package org.fedlink.researcher;

import java.util.List;

/**
 * What one round produced.
 *
 * @param round 1-based round number
 * @param nodes nodes whose updates were aggregated
 * @param trainLoss mean training loss, weighted by examples
 * @param valLoss validation loss of the new global model, weighted by validation examples
 * @param valAccuracy validation accuracy of the new global model, weighted likewise
 * @param seconds wall time of the round
 * @param dropped messages of nodes left out of this round (went offline)
 * @param epsilon the differential-privacy epsilon spent after this round (for the experiment's
 *     delta), NaN without differential privacy
 */
public record RoundMetrics(
    int round,
    int nodes,
    double trainLoss,
    double valLoss,
    double valAccuracy,
    double seconds,
    List<String> dropped,
    double epsilon) {
  public RoundMetrics {
    dropped = List.copyOf(dropped);
  }

  /** A round without differential privacy (epsilon NaN). */
  public RoundMetrics(
      int round,
      int nodes,
      double trainLoss,
      double valLoss,
      double valAccuracy,
      double seconds,
      List<String> dropped) {
    this(round, nodes, trainLoss, valLoss, valAccuracy, seconds, dropped, Double.NaN);
  }

  /** Whether an epsilon was accounted for this round. */
  public boolean hasEpsilon() {
    return !Double.isNaN(epsilon);
  }
}
