package org.fedlink.ml;

import org.fedlink.core.Parameters;

/**
 * Code a SuperNode runs on its local data: the unit a node approves and the researcher picks.
 *
 * <p>Implementations are stateless and thread-safe: one instance may serve several tasks. They work
 * on primitive arrays and must not keep references to the data they are given.
 */
public interface TrainingPlan {

  /** Stable identifier, e.g. {@code "logistic-regression"}. */
  String id();

  /**
   * Creates the initial global model for data described by {@code summary}. Deterministic for a
   * given {@code args.seed()}.
   */
  Parameters initialize(DataSummary summary, TrainingArgs args);

  /**
   * Trains locally, starting from {@code global}, and returns the updated parameters with the
   * number of examples used and training metrics. Must not modify {@code global}.
   */
  LocalUpdate train(Parameters global, Dataset data, TrainingArgs args);

  /**
   * SCAFFOLD's local training: as {@link #train(Parameters, Dataset, TrainingArgs)}, with {@code
   * correction} (the server variate minus this node's, one value per model value, layout of {@code
   * global}) added to every mini-batch gradient. Plans that do not support it keep this default,
   * which refuses with a clear message.
   *
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if the plan cannot train with a
   *     gradient correction
   */
  default LocalUpdate train(
      Parameters global, Dataset data, TrainingArgs args, Parameters correction) {
    throw new org.fedlink.core.FedlinkException(
        org.fedlink.core.ErrorCode.INVALID_ARGUMENT,
        "training plan "
            + id()
            + " does not support SCAFFOLD's gradient correction; use a built-in plan"
            + " (logistic-regression, mlp) or another strategy");
  }

  /**
   * Names of the tensors training never changes (e.g. a fixed standardization). Differential
   * privacy leaves them out: they are neither clipped nor noised, and keep the global values. The
   * default is none: every tensor is treated as trained.
   */
  default java.util.Set<String> frozenTensors() {
    return java.util.Set.of();
  }

  /** Evaluates {@code parameters} on {@code data}. */
  Metrics evaluate(Parameters parameters, Dataset data);
}
