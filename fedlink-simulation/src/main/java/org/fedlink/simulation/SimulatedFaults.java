package org.fedlink.simulation;

import java.util.SplittableRandom;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.task.TaskPolicy;
import org.fedlink.transport.TaskKeys;

/**
 * The faults a simulation injects into one virtual node's training tasks: a dropout (the task fails
 * as {@code NODE_OFFLINE}, which a round absorbs while its minimum holds, as it does for a real
 * node that goes away) or a straggler (the task starts late, holding its training slot as a slow
 * device would). Each draw depends only on the seed, the node's index and the round, so a
 * simulation repeats exactly. Immutable and thread-safe.
 */
final class SimulatedFaults implements TaskPolicy {
  private final long seed;
  private final int index;
  private final double dropoutRate;
  private final double stragglerRate;
  private final long stragglerDelayMs;

  SimulatedFaults(
      long seed, int index, double dropoutRate, double stragglerRate, long stragglerDelayMs) {
    this.seed = seed;
    this.index = index;
    this.dropoutRate = dropoutRate;
    this.stragglerRate = stragglerRate;
    this.stragglerDelayMs = stragglerDelayMs;
  }

  @Override
  public void check(long nodeId, Task task) {
    if (!task.getKind().equals(TaskKeys.KIND_TRAIN)) {
      return;
    }
    SplittableRandom draw =
        new SplittableRandom(seed ^ ((long) index << 20) ^ ((long) task.getRound() << 48));
    if (draw.nextDouble() < dropoutRate) {
      throw new FedlinkException(
          ErrorCode.NODE_OFFLINE, "dropped out of round " + task.getRound() + " (simulated)");
    }
    if (draw.nextDouble() < stragglerRate && stragglerDelayMs > 0) {
      try {
        Thread.sleep(stragglerDelayMs); // a slow device: the delay is the point
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FedlinkException(ErrorCode.CANCELLED, "straggler delay interrupted");
      }
    }
  }
}
