package org.fedlink.researcher.secagg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.RoundFailedException;

/**
 * Sends one task to each node of a secure session and collects every result. Unlike a plain phase
 * nothing is absorbed: the aggregate of a secure round decrypts only with every participant, so the
 * first error, or any node missing at the deadline, fails the phase with the node's own message.
 */
final class SecurePhase {
  private final SecureRunContext ctx;

  SecurePhase(SecureRunContext ctx) {
    this.ctx = ctx;
  }

  private static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort() {
      super(null, null, false, false);
    }
  }

  /**
   * What a tolerant phase brought back: the successful results by node and the messages of nodes
   * that went offline or did not answer.
   */
  record Answers(Map<Long, TaskResult> ok, List<String> lost) {}

  /**
   * Runs {@code kind} on {@code nodes}, absorbing nodes that go offline or do not answer in time
   * (SecAgg+ survives them); any other failure (a refusal, a broken task) fails the phase with the
   * node's own message.
   *
   * @param blobOf the input blob of each node's task (may return null)
   */
  Answers runTolerant(
      String kind,
      int round,
      String label,
      List<Long> nodes,
      Function<Long, Map<String, String>> config,
      Function<Long, String> blobOf) {
    Map<String, Long> nodeOfTask = push(kind, round, label, nodes, config, blobOf);
    Map<Long, TaskResult> ok = new java.util.TreeMap<>();
    Collected c = collect(nodeOfTask, ok, false);
    List<String> fatal = c.failed();
    List<String> lost = new ArrayList<>(c.offline());
    Set<String> missing = c.missing();
    for (String taskId : missing) {
      lost.add(
          "node "
              + nodeOfTask.get(taskId)
              + " did not answer within "
              + ctx.roundTimeout().toSeconds()
              + " s");
    }
    if (!fatal.isEmpty()) {
      throw new RoundFailedException(label + " failed: " + String.join("; ", fatal));
    }
    for (String l : lost) {
      ctx.listener().info(label + ": continuing without " + l);
    }
    return new Answers(ok, lost);
  }

  /**
   * Runs {@code kind} on {@code nodes}.
   *
   * @param config the task config of each node
   * @return the results, in the order of {@code nodes}
   * @throws RoundFailedException naming the node(s) that refused, failed or did not answer
   */
  List<TaskResult> run(
      String kind,
      int round,
      String modelBlobId,
      String label,
      List<Long> nodes,
      Function<Long, Map<String, String>> config) {
    Map<String, Long> nodeOfTask = push(kind, round, label, nodes, config, n -> modelBlobId);
    Map<Long, TaskResult> ok = new LinkedHashMap<>();
    Collected c = collect(nodeOfTask, ok, true);
    List<String> errors = c.failed();
    List<String> offline = c.offline();
    Set<String> missing = c.missing();
    if (!errors.isEmpty()) {
      throw new RoundFailedException(label + " failed: " + String.join("; ", errors));
    }
    if (!offline.isEmpty()) {
      throw new RoundFailedException(label + " failed: " + String.join("; ", offline), offline);
    }
    if (!missing.isEmpty()) {
      List<String> silent = new ArrayList<>();
      for (String taskId : missing) {
        silent.add("node " + nodeOfTask.get(taskId));
      }
      throw new RoundFailedException(
          label
              + " failed: "
              + String.join(", ", silent)
              + " did not answer within "
              + ctx.roundTimeout().toSeconds()
              + " s; secure aggregation needs every node of the setup, nothing was decrypted",
          silent);
    }
    List<TaskResult> out = new ArrayList<>();
    for (long node : nodes) {
      out.add(ok.get(node));
    }
    return out;
  }

  /**
   * The messages of the tasks that failed (refused, broken) or whose node went offline, and the
   * tasks that did not answer by the deadline.
   */
  private record Collected(List<String> failed, List<String> offline, Set<String> missing) {}

  /**
   * Waits for the results of {@code nodeOfTask}, putting each success into {@code ok}; with {@code
   * stopAtFirstFailure} the first failure ends the wait (nothing counts as missing then).
   */
  private Collected collect(
      Map<String, Long> nodeOfTask, Map<Long, TaskResult> ok, boolean stopAtFirstFailure) {
    List<String> failed = new ArrayList<>();
    List<String> offline = new ArrayList<>();
    Set<String> missing;
    try {
      missing =
          ctx.control()
              .awaitResults(
                  ctx.runId(),
                  new ArrayList<>(nodeOfTask.keySet()),
                  ctx.roundTimeout(),
                  r -> {
                    boolean success = r.getStatus().getCode() == 0;
                    ctx.listener().resultReceived(r.getNodeId(), success);
                    if (success) {
                      ok.put(r.getNodeId(), r);
                      return;
                    }
                    (r.getStatus().getCode() == org.fedlink.core.ErrorCode.NODE_OFFLINE.code()
                            ? offline
                            : failed)
                        .add(r.getStatus().getMessage());
                    if (stopAtFirstFailure) {
                      throw new Abort();
                    }
                  });
    } catch (Abort a) {
      missing = Set.of();
    } finally {
      ctx.listener().phaseFinished();
    }
    return new Collected(failed, offline, missing);
  }

  /** Pushes one task of {@code kind} per node; returns the node of each task id, in push order. */
  private Map<String, Long> push(
      String kind,
      int round,
      String label,
      List<Long> nodes,
      Function<Long, Map<String, String>> config,
      Function<Long, String> blobOf) {
    List<Task> tasks = new ArrayList<>();
    Map<String, Long> nodeOfTask = new LinkedHashMap<>();
    for (long node : nodes) {
      Task.Builder t =
          Task.newBuilder()
              .setTaskId(UUID.randomUUID().toString())
              .setRunId(ctx.runId())
              .setNodeId(node)
              .setRound(round)
              .setKind(kind)
              .setPlan(ctx.plan())
              .putAllConfig(config.apply(node));
      String blob = blobOf.apply(node);
      if (blob != null) {
        t.setModelBlobId(blob);
      }
      tasks.add(t.build());
      nodeOfTask.put(t.getTaskId(), node);
    }
    ctx.listener().phaseStarted(label, tasks.size());
    ctx.control().pushTasks(tasks);
    return nodeOfTask;
  }
}
