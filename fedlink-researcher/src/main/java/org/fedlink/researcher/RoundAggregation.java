package org.fedlink.researcher;

import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.privacy.RoundPrivacy;
import org.fedlink.researcher.strategies.AveragingStrategy;
import org.fedlink.researcher.strategies.NodeUpdate;
import org.fedlink.researcher.strategies.Strategy;

/**
 * Where a round's updates become the next global model: "average, then server step". The average is
 * decrypted by secure aggregation, or made by central differential privacy (clipped, noised), or
 * the uniform mean of local-DP updates, or left to the strategy itself (FedAvg's weighted mean, a
 * robust aggregator). {@code Experiment.Builder.build()} has refused the combinations that cannot
 * hold (a robust aggregator under secure aggregation or DP, central DP under secure aggregation).
 * Stateless.
 */
final class RoundAggregation {
  private RoundAggregation() {}

  /**
   * @param updates the round's updates: one per node in a plain round, or the one update that
   *     stands for a secure round's nodes (global + the decrypted mean, {@code Round.aggregate})
   * @param privacy the experiment's differential privacy, or null
   */
  static Parameters next(
      Strategy strategy, RoundPrivacy privacy, Parameters global, List<NodeUpdate> updates) {
    if (privacy == null) {
      return strategy.aggregate(global, updates);
    }
    Parameters average =
        privacy.settings().mode() == DifferentialPrivacy.Mode.CENTRAL
            ? privacy.centralMean(global, updates)
            : privacy.localMean(global, updates);
    return ((AveragingStrategy) strategy).step(global, average);
  }
}
