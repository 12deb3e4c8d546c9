package org.fedlink.researcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.proto.v1.Task;
import org.fedlink.transport.TaskKeys;

/**
 * Sends a training-plan JAR to every online node for approval: one {@code approval_request} task
 * per node (the JAR as its model blob) in a run of its own. Each node records the plan as Pending
 * under its own hash, unless it already knows it, and answers with its status; an admin then
 * approves or rejects it on the node. Stateless; thread-safe if the connection is.
 */
public final class PlanApproval {
  private PlanApproval() {}

  /**
   * Sends {@code jar} to the online nodes and waits up to {@code timeout} for their answers.
   *
   * @param researcherId the researcher's component id, stored with the request on each node
   * @return one answer per online node, by node id
   * @throws FedlinkException {@link ErrorCode#FAILED_PRECONDITION} if no node is online; other
   *     codes if the SuperLink refuses a call or stays unreachable
   */
  public static List<ApprovalAnswer> request(
      ControlConnection control, PlanJar jar, String researcherId, Duration timeout) {
    return request(control, jar, PlanSources.none(), researcherId, timeout);
  }

  /**
   * Sends {@code jar} with its source files to the online nodes and waits up to {@code timeout} for
   * their answers. The sources ride in each task's config ({@link
   * TaskKeys#PLAN_SOURCE_PREFIX}{@code <path>}); a node keeps them with the plan for its admin to
   * read, as what the researcher claims the plan was built from.
   *
   * @param sources the plan's source files, or {@link PlanSources#none()}
   * @throws FedlinkException as {@link #request(ControlConnection, PlanJar, String, Duration)}
   */
  public static List<ApprovalAnswer> request(
      ControlConnection control,
      PlanJar jar,
      PlanSources sources,
      String researcherId,
      Duration timeout) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(sources, "sources");
    List<Long> nodes = Experiment.online(control.listNodes());
    if (nodes.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "no node is online to receive the approval request; start the SuperNodes first");
    }
    String runId = UUID.randomUUID().toString();
    Map<String, String> runConfig = new LinkedHashMap<>();
    runConfig.put("purpose", TaskKeys.KIND_APPROVAL_REQUEST);
    runConfig.put(TaskKeys.PLAN_NAME, jar.name());
    control.createRun(runId, runConfig);
    String blob = control.upload(jar.bytes());
    Map<String, Long> nodeOfTask = new LinkedHashMap<>();
    List<Task> tasks = new ArrayList<>();
    for (long node : nodes) {
      Task.Builder t =
          Task.newBuilder()
              .setTaskId(UUID.randomUUID().toString())
              .setRunId(runId)
              .setNodeId(node)
              .setKind(TaskKeys.KIND_APPROVAL_REQUEST)
              .setPlan(jar.taskPlan())
              .setModelBlobId(blob)
              .putConfig(TaskKeys.PLAN_SHA256, jar.sha256())
              .putConfig(TaskKeys.PLAN_NAME, jar.name())
              .putConfig(TaskKeys.RESEARCHER_ID, researcherId == null ? "" : researcherId);
      sources
          .toMap()
          .forEach((path, text) -> t.putConfig(TaskKeys.PLAN_SOURCE_PREFIX + path, text));
      tasks.add(t.build());
      nodeOfTask.put(t.getTaskId(), node);
    }
    if (sources.isEmpty()) {
      control.pushTasks(tasks);
    } else {
      // Up to 1 MiB of sources per task: one call per task keeps each call far below the gRPC
      // message limit whatever the number of nodes.
      for (Task t : tasks) {
        control.pushTasks(List.of(t));
      }
    }
    List<ApprovalAnswer> answers = new ArrayList<>();
    Set<String> missing =
        control.awaitResults(
            runId,
            new ArrayList<>(nodeOfTask.keySet()),
            timeout,
            r ->
                answers.add(
                    new ApprovalAnswer(
                        r.getNodeId(), r.getStatus().getCode() == 0, r.getStatus().getMessage())));
    for (String taskId : missing) {
      answers.add(
          new ApprovalAnswer(
              nodeOfTask.get(taskId),
              false,
              "node "
                  + nodeOfTask.get(taskId)
                  + " did not answer within "
                  + timeout.toSeconds()
                  + " s"));
    }
    control.stopRun(runId);
    answers.sort(Comparator.comparingLong(ApprovalAnswer::nodeId));
    return answers;
  }
}
