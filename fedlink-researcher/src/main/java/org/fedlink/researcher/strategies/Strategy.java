package org.fedlink.researcher.strategies;

import java.util.List;
import java.util.Map;
import org.fedlink.core.Parameters;

/**
 * How the researcher turns a round's node updates into the next global model, and what extra
 * training arguments it sends. Stateless implementations are immutable and thread-safe; a stateful
 * one (a server optimizer's moments) advances its {@link #state()} in {@link #aggregate} and serves
 * one experiment.
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

  /**
   * The first global model of a run from the plan's initial model: a strategy that sends more than
   * the model (SCAFFOLD's control variates) adds it here. Called once per run, also on a model that
   * already carries the additions (a resumed run's), which it returns as is. The default returns
   * {@code model}.
   */
  default Parameters initialize(Parameters model) {
    return model;
  }

  /**
   * Whether this strategy needs each node's update in the clear (a robust aggregator that looks at
   * every update), and so cannot work under secure aggregation, where only the sum is decrypted.
   */
  default boolean needsIndividualUpdates() {
    return false;
  }

  /**
   * The settings that shape this strategy's results (a server learning rate, Krum's f), recorded in
   * a checkpoint as {@code strategy.<key>} so that a resumed run uses the same ones. Empty by
   * default.
   */
  default Map<String, String> hyperparameters() {
    return Map.of();
  }
}
