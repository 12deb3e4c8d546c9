package org.fedlink.researcher.strategies;

import java.util.List;
import java.util.Map;
import org.fedlink.core.Parameters;

/**
 * How the researcher turns a round's node updates into the next global model, and what extra
 * training arguments it sends. Implementations are immutable and thread-safe.
 */
public interface Strategy {
  /** Short name, e.g. {@code fedavg}. */
  String name();

  /** Extra task config for training (e.g. FedProx's {@code proximal_mu}). */
  Map<String, String> trainConfig();

  /**
   * The next global model.
   *
   * @param global the model the nodes started from
   * @param updates at least one update, each with the layout of {@code global}
   */
  Parameters aggregate(Parameters global, List<NodeUpdate> updates);

  /**
   * What this strategy carries from round to round, written into each round's checkpoint as short
   * strings (e.g. FedProx's {@code mu}, a server optimizer's moments). Empty by default: a
   * stateless strategy.
   */
  default Map<String, String> state() {
    return Map.of();
  }

  /**
   * This strategy continuing from {@code state}, as {@link #state()} returned it before a crash.
   * The default, for stateless strategies, returns this.
   *
   * @throws org.fedlink.core.FedlinkException if {@code state} is not one this strategy wrote
   */
  default Strategy withState(Map<String, String> state) {
    return this;
  }
}
