package org.fedlink.researcher.strategies;

import java.util.List;
import org.fedlink.core.Parameters;

/**
 * A strategy that works from the round's (weighted) average model: the researcher first averages
 * the nodes' models, then takes a server step from the old global and that average. Because it
 * needs only the average, it composes with secure aggregation, where the researcher learns nothing
 * else: the secure round decrypts the average and hands it to {@link #step}.
 */
public interface AveragingStrategy extends Strategy {

  /**
   * The next global model from the old one and the round's average.
   *
   * @param global the model the nodes started from
   * @param average the nodes' models averaged (weighted by examples; uniformly under differential
   *     privacy), with the layout of {@code global}
   */
  Parameters step(Parameters global, Parameters average);

  /** The weighted mean of the updates, then {@link #step}. */
  @Override
  default Parameters aggregate(Parameters global, List<NodeUpdate> updates) {
    return step(global, Mean.weighted(global, updates));
  }
}
