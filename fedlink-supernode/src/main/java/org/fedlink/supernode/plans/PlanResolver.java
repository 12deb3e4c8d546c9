package org.fedlink.supernode.plans;

import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.task.TaskRunner;

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

  /**
   * The plan {@code task} runs on node {@code nodeId}; resolvers that receive plans (researchers'
   * JARs) use the task's config and {@code blobs}. By default {@link #resolve(String)} of the
   * task's plan name.
   *
   * @throws org.fedlink.core.FedlinkException with {@link org.fedlink.core.ErrorCode#REFUSED} if
   *     this node does not allow the plan, or another code if it cannot be found or loaded
   */
  default TrainingPlan resolve(long nodeId, Task task, TaskRunner.Blobs blobs) {
    return resolve(task.getPlan());
  }

  /** The run ended: whatever the resolver keeps for it (plan workers) can go. */
  default void runStopped(String runId) {}

  /** The node is stopping: end what the resolver started. */
  default void close() {}

  /** Resolves built-in plans only. */
  static PlanResolver builtin() {
    return name -> BuiltinPlans.get(name.startsWith("builtin:") ? name.substring(8) : name);
  }
}
