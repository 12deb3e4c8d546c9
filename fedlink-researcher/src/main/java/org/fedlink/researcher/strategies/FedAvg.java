package org.fedlink.researcher.strategies;

import java.util.List;
import java.util.Map;
import org.fedlink.core.Parameters;

/** Federated averaging: the mean of the node models weighted by their number of examples. */
public class FedAvg implements AveragingStrategy {

  @Override
  public String name() {
    return "fedavg";
  }

  @Override
  public Map<String, String> trainConfig() {
    return Map.of();
  }

  @Override
  public Parameters aggregate(Parameters global, List<NodeUpdate> updates) {
    return Mean.weighted(global, updates);
  }

  /** The average is the next global model. */
  @Override
  public Parameters step(Parameters global, Parameters average) {
    return average;
  }
}
