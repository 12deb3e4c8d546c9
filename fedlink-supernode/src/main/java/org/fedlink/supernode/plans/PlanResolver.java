package org.fedlink.supernode.plans;

import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.TrainingPlan;

/**
 * Finds the training plan a task names. Built-in plans are named {@code builtin:<id>} or just
 * {@code <id>}.
 */
@FunctionalInterface
public interface PlanResolver {
  /**
   * The plan for this name.
   *
   * @throws org.fedlink.core.FedlinkException if it is unknown or not allowed on this node
   */
  TrainingPlan resolve(String planName);

  /** Resolves built-in plans only. */
  static PlanResolver builtin() {
    return name -> BuiltinPlans.get(name.startsWith("builtin:") ? name.substring(8) : name);
  }
}
