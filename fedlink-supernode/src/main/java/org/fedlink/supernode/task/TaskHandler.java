package org.fedlink.supernode.task;

import org.fedlink.proto.v1.Task;

/**
 * Runs a task kind that is not a training step (for example {@code approval_request}), after the
 * node's {@link TaskPolicy policies} passed. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TaskHandler {
  /**
   * Handles the task.
   *
   * @return the message of the OK result (e.g. "training plan 1a2b is Pending on node 3"), or null
   * @throws org.fedlink.core.FedlinkException if it fails or is refused; the researcher sees its
   *     message prefixed with the node
   */
  String handle(long nodeId, Task task, TaskRunner.Blobs blobs);
}
