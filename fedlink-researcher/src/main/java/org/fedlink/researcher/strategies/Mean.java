package org.fedlink.researcher.strategies;

import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;

/** The weighted mean of a round's node models, tensor by tensor. Stateless. */
public final class Mean {
  private Mean() {}

  /**
   * The mean of the updates' models weighted by their number of examples.
   *
   * @throws FedlinkException FAILED_PRECONDITION if there is no update or every weight is 0;
   *     INVALID_ARGUMENT if an update's layout differs from {@code global}'s
   */
  public static Parameters weighted(Parameters global, List<NodeUpdate> updates) {
    return of(global, updates, checkedWeights(global, updates));
  }

  /**
   * The updates' numbers of examples as weights, once checked: at least one update, each with the
   * layout of {@code global}, not all 0.
   */
  static double[] checkedWeights(Parameters global, List<NodeUpdate> updates) {
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
    return weights;
  }

  /** The mean with every update weighing the same. */
  public static Parameters uniform(Parameters global, List<NodeUpdate> updates) {
    if (updates.isEmpty()) {
      throw new FedlinkException(ErrorCode.FAILED_PRECONDITION, "no update to aggregate");
    }
    double[] weights = new double[updates.size()];
    for (int k = 0; k < updates.size(); k++) {
      global.requireSameLayout(
          updates.get(k).parameters(), "update of node " + updates.get(k).nodeId());
      weights[k] = 1;
    }
    return of(global, updates, weights);
  }

  private static Parameters of(Parameters global, List<NodeUpdate> updates, double[] weights) {
    Parameters out = global.zerosLike();
    float[][] columns = new float[updates.size()][];
    for (int t = 0; t < global.tensors().size(); t++) {
      for (int k = 0; k < updates.size(); k++) {
        columns[k] = updates.get(k).parameters().tensors().get(t).data();
      }
      WeightedAverage.into(out.tensors().get(t).data(), columns, weights);
    }
    return out;
  }
}
