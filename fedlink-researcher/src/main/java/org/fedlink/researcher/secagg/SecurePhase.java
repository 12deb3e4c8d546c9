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
    List<String> fatal = new ArrayList<>();
    List<String> lost = new ArrayList<>();
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
                    } else if (r.getStatus().getCode()
                        == org.fedlink.core.ErrorCode.NODE_OFFLINE.code()) {
                      lost.add(r.getStatus().getMessage());
                    } else {
                      fatal.add(r.getStatus().getMessage());
                    }
                  });
    } finally {
      ctx.listener().phaseFinished();
    }
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
    List<String> errors = new ArrayList<>();
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
                    } else {
                      (r.getStatus().getCode() == org.fedlink.core.ErrorCode.NODE_OFFLINE.code()
                              ? offline
                              : errors)
                          .add(r.getStatus().getMessage());
                      throw new Abort();
                    }
                  });
    } catch (Abort a) {
      missing = Set.of();
    } finally {
      ctx.listener().phaseFinished();
    }
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
