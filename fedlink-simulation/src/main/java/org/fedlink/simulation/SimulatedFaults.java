package org.fedlink.simulation;

import java.util.List;
import java.util.SplittableRandom;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.task.TaskPolicy;
import org.fedlink.transport.TaskKeys;

/**
 * The faults a simulation injects into one virtual node's training tasks: a dropout (the task fails
 * as {@code NODE_OFFLINE}, which a round absorbs while its minimum holds, as it does for a real
 * node that goes away) or a straggler (the task starts late, holding its training slot as a slow
 * device would). In a SecAgg+ round a dropped node goes away at one of the three stages before its
 * masked input is in, drawn evenly: before training, after training and advertising its keys, or
 * after sharing its keys (its peers' masks with it must then be removed with the shares of its
 * key). Whatever the stage, the nodes whose updates count are those of a plain round with the same
 * seed. Each draw depends only on the seed, the node's index and the round, so a simulation repeats
 * exactly. Immutable and thread-safe.
 */
final class SimulatedFaults implements TaskPolicy {
  /** The tasks of a round a dropped node can miss, in order. */
  private static final List<String> STAGES =
      List.of(TaskKeys.KIND_TRAIN, SecAggKeys.KIND_SAP_SHARE, SecAggKeys.KIND_SAP_MASK);

  private static final List<String> WHEN =
      List.of("", " after training", " after sharing its keys");

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
    int stage = STAGES.indexOf(task.getKind());
    if (stage < 0) {
      return;
    }
    SplittableRandom draw =
        new SplittableRandom(seed ^ ((long) index << 20) ^ ((long) task.getRound() << 48));
    if (draw.nextDouble() < dropoutRate) {
      boolean secAggPlus =
          SecAggKeys.scheme(task.getConfigMap()).equals(SecAggKeys.SCHEME_SECAGG_PLUS);
      int at = secAggPlus ? draw.nextInt(STAGES.size()) : 0;
      if (stage >= at) {
        throw new FedlinkException(
            ErrorCode.NODE_OFFLINE,
            "dropped out of round " + task.getRound() + WHEN.get(at) + " (simulated)");
      }
    }
    if (stage == 0 && draw.nextDouble() < stragglerRate && stragglerDelayMs > 0) {
      try {
        Thread.sleep(stragglerDelayMs); // a slow device: the delay is the point
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FedlinkException(ErrorCode.CANCELLED, "straggler delay interrupted");
      }
    }
  }
}
