package org.fedlink.supernode.task;

import org.fedlink.proto.v1.Task;

/**
 * A node-side rule checked before a task runs: training-plan approval, secure-aggregation policy. A
 * refusal reaches the researcher as the task's error, naming this node and the reason.
 */
@FunctionalInterface
public interface TaskPolicy {
  /**
   * Checks the task.
   *
   * @throws org.fedlink.core.FedlinkException with {@link org.fedlink.core.ErrorCode#REFUSED} and a
   *     message such as "secure aggregation required by node 42"
   */
  void check(long nodeId, Task task);
}
