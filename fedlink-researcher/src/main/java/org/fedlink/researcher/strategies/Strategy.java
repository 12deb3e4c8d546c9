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
}
