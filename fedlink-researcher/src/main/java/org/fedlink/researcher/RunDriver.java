package org.fedlink.researcher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.transport.TaskKeys;

/**
 * Sends one phase's tasks to the online nodes and collects their results, deciding which failures a
 * round can absorb: a node that went offline, or holds no dataset with the tags, is dropped while
 * the minimum still holds; any other failure (a refusal, a broken task) fails the round with the
 * node's own message.
 */
final class RunDriver {
  private final ControlConnection control;
  private final String runId;
  private final Experiment.Builder b;
  private final Map<String, String> taskConfig;
  private final String planName;
  private final List<String> dropped = new ArrayList<>();
  private List<Long> sampled; // this round's training nodes, chosen by sample(round)
  private double samplingRate = 1;
  // Component ids of the nodes last listed: nodes are ordered by them, then by node id, so that a
  // federation of nodes with stable component ids (a simulation's) samples and sums the same way
  // whatever random node ids the SuperLink gave.
  private final Map<Long, String> componentIds = new java.util.HashMap<>();
  private final Comparator<Long> order =
      Comparator.<Long, String>comparing(id -> componentIds.getOrDefault(id, ""))
          .thenComparing(Comparator.naturalOrder());

  RunDriver(
      ControlConnection control,
      String runId,
      Experiment.Builder b,
      Map<String, String> taskConfig) {
    this(control, runId, b, taskConfig, b.plan);
  }

  /** A driver whose tasks name {@code planName} (e.g. {@code jar:<sha256>}) instead of b's plan. */
  RunDriver(
      ControlConnection control,
      String runId,
      Experiment.Builder b,
      Map<String, String> taskConfig,
      String planName) {
    this.control = control;
    this.runId = runId;
    this.b = b;
    this.taskConfig = taskConfig;
    this.planName = planName;
  }

  /** Nodes dropped since the last call. */
  List<String> takeDropped() {
    List<String> out = List.copyOf(dropped);
    dropped.clear();
    return out;
  }

  /** Online nodes, waiting up to the configured time for the minimum to be online. */
  List<Long> selectNodes() {
    long deadline = System.nanoTime() + b.nodeWaitTimeout.toNanos();
    boolean told = false;
    while (true) {
      List<org.fedlink.proto.v1.Node> listed = control.listNodes();
      listed.forEach(n -> componentIds.put(n.getNodeId(), n.getComponentId()));
      List<Long> online = new ArrayList<>(Experiment.online(listed));
      online.sort(order);
      if (online.size() >= b.minNodes) {
        return online;
      }
      if (System.nanoTime() > deadline) {
        throw new RoundFailedException(
            "only "
                + online.size()
                + " node(s) online, fewer than the minimum of "
                + b.minNodes
                + " (waited "
                + b.nodeWaitTimeout.toSeconds()
                + " s); start more SuperNodes or lower --min-nodes");
      }
      if (!told) {
        b.listener.info(
            "waiting for " + b.minNodes + " node(s) to be online (" + online.size() + " now)");
        told = true;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FedlinkException(ErrorCode.CANCELLED, "interrupted while waiting for nodes");
      }
    }
  }

  /**
   * Chooses the nodes that train in {@code round}: every online node, or with a fraction below 1
   * {@code max(minNodes, ceil(fraction * online))} of them, drawn with a generator seeded by the
   * experiment's seed and the round (the same federation gives the same choice, also after a
   * resume). Returns the share of the online nodes chosen, the sampling rate of the round.
   */
  double sample(int round) {
    List<Long> online = selectNodes();
    sampled = NodeSample.of(online, b.fraction, b.minNodes, b.args.seed(), round, order);
    samplingRate = (double) sampled.size() / online.size();
    return samplingRate;
  }

  /** The nodes {@link #sample} chose, or the online nodes if it was not called. */
  List<Long> sampledNodes() {
    return sampled != null ? List.copyOf(sampled) : selectNodes();
  }

  /** The sampling rate of the last {@link #sample}, 1 before. */
  double samplingRate() {
    return samplingRate;
  }

  /**
   * Runs one phase on every online node (a training phase: on the nodes {@link #sample} chose);
   * returns the successful results.
   */
  List<TaskResult> phase(String kind, int round, String modelBlobId, String label) {
    List<Long> nodes;
    if (kind.equals(TaskKeys.KIND_TRAIN)) {
      nodes = sampledNodes();
    } else if (kind.equals(TaskKeys.KIND_EVALUATE)) {
      // The same draw over the nodes online now: the round's sample, less those gone since.
      nodes = NodeSample.of(selectNodes(), b.fraction, b.minNodes, b.args.seed(), round, order);
    } else {
      nodes = selectNodes();
    }
    List<Task> tasks = new ArrayList<>();
    Map<String, Long> nodeOfTask = new LinkedHashMap<>();
    for (long node : nodes) {
      // A fresh random id per task: a round redone after the researcher crashed never reuses the
      // ids of the interrupted attempt, whose tasks may still be queued or answered.
      Task.Builder t =
          Task.newBuilder()
              .setTaskId(UUID.randomUUID().toString())
              .setRunId(runId)
              .setNodeId(node)
              .setRound(round)
              .setKind(kind)
              .setPlan(planName)
              .putAllConfig(taskConfig);
      if (modelBlobId != null) {
        t.setModelBlobId(modelBlobId);
      }
      tasks.add(t.build());
      nodeOfTask.put(t.getTaskId(), node);
    }
    b.listener.phaseStarted(label, tasks.size());
    List<TaskResult> ok = new ArrayList<>();
    List<String> fatal = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    Set<String> missing =
        control.pushAndAwaitResults(
            runId,
            tasks,
            b.roundTimeout,
            r -> {
              boolean success = r.getStatus().getCode() == 0;
              b.listener.resultReceived(r.getNodeId(), success);
              if (success) {
                ok.add(r);
              } else if (r.getStatus().getCode() == ErrorCode.NODE_OFFLINE.code()
                  || r.getStatus().getCode() == ErrorCode.NO_MATCHING_DATASET.code()) {
                lost.add(r.getStatus().getMessage());
              } else {
                fatal.add(r.getStatus().getMessage());
              }
            });
    for (String taskId : missing) {
      lost.add(
          "node "
              + nodeOfTask.get(taskId)
              + " did not answer within "
              + b.roundTimeout.toSeconds()
              + " s");
    }
    b.listener.phaseFinished();
    if (!fatal.isEmpty()) {
      throw new RoundFailedException(label + " failed: " + String.join("; ", fatal));
    }
    if (ok.size() < b.minNodes) {
      throw new RoundFailedException(
          label
              + " failed: "
              + ok.size()
              + " of "
              + nodes.size()
              + " nodes returned results, fewer than the minimum of "
              + b.minNodes
              + ": "
              + String.join("; ", lost),
          lost);
    }
    for (String l : lost) {
      b.listener.info(label + ": continuing without " + l);
    }
    dropped.addAll(lost);
    // Arrival order varies from run to run; sums of floats depend on their order, so aggregation
    // sees the results by node id and the same round gives the same model bit for bit.
    ok.sort(Comparator.comparing(TaskResult::getNodeId, order));
    return ok;
  }
}
