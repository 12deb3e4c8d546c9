package org.fedlink.researcher.strategies;

import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/** Federated averaging: the mean of the node models weighted by their number of examples. */
public class FedAvg implements Strategy {

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
    if (updates.isEmpty()) {
      throw new FedlinkException(ErrorCode.FAILED_PRECONDITION, "no update to aggregate");
    }
    double[] weights = new double[updates.size()];
    long total = 0;
    for (int k = 0; k < updates.size(); k++) {
      NodeUpdate u = updates.get(k);
      global.requireSameLayout(u.parameters(), "update of node " + u.nodeId());
      weights[k] = u.numExamples();
      total += u.numExamples();
    }
    if (total == 0) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION, "every node trained on 0 examples; nothing to average");
    }
    Parameters out = global.zerosLike();
    float[][] columns = new float[updates.size()][];
    for (int t = 0; t < global.tensors().size(); t++) {
      for (int k = 0; k < updates.size(); k++) {
        columns[k] = updates.get(k).parameters().tensors().get(t).data();
      }
      Tensor target = out.tensors().get(t);
      WeightedAverage.into(target.data(), columns, weights);
    }
    return out;
  }
}
