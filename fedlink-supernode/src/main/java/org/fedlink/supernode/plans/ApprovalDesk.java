package org.fedlink.supernode.plans;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.plan.PlanJarContents;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.task.TaskHandler;
import org.fedlink.supernode.task.TaskRunner;
import org.fedlink.transport.TaskKeys;

/**
 * Handles {@code approval_request} tasks: receives the JAR (the task's model blob), keeps it in the
 * {@link PlanCache}, and records its hash as Pending in the {@link PlanStore} with the researcher's
 * id, the researcher's key as the SuperLink authenticated it and the source files the request
 * carries (bounded by {@link PlanSources}), unless the node already knows it. It never loads the
 * JAR's code. The OK result's message states the plan's status on this node. Thread-safe.
 */
public final class ApprovalDesk implements TaskHandler {
  /** Longest plan name, researcher id or key fingerprint a request may carry. */
  public static final int MAX_VALUE_CHARS = 256;

  private final PlanPolicy policy;
  private final PlanStore store;
  private final PlanCache cache;

  public ApprovalDesk(PlanPolicy policy, PlanStore store, PlanCache cache) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.store = Objects.requireNonNull(store, "store");
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public String handle(long nodeId, Task task, TaskRunner.Blobs blobs) {
    if (task.getModelBlobId().isEmpty()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "approval request carries no training plan JAR");
    }
    String researcher = bounded(task, TaskKeys.RESEARCHER_ID);
    String key = bounded(task, TaskKeys.RESEARCHER_KEY);
    String requestedName = bounded(task, TaskKeys.PLAN_NAME);
    PlanSources sources = sources(task);
    String sha = task.getConfigOrDefault(TaskKeys.PLAN_SHA256, "");
    Path jar = cache.store(blobs.download(task.getModelBlobId()), sha);
    String hash = PlanCache.planHash(jar, policy.algorithm());
    String name = requestedName.isBlank() ? jar.getFileName().toString() : requestedName;
    boolean known = store.find(hash, policy.algorithm().name()).isPresent();
    TrainingPlanRecord record =
        store.request(
            hash,
            policy.algorithm().name(),
            name,
            PlanJarContents.planClassOf(jar).orElse("unknown"),
            researcher.isBlank() ? null : researcher,
            key.isBlank() ? null : key,
            jar,
            sha.strip().toLowerCase(java.util.Locale.ROOT),
            sources);
    return "training plan "
        + record.shortHash()
        + " ("
        + name
        + ") is "
        + record.status().display()
        + " on node "
        + nodeId
        + (policy.approvalRequired() ? "" : " (this node does not require approval)")
        + (known && !sources.isEmpty()
            ? "; the node already knew it, so the sources sent were not recorded"
            : "");
  }

  /** A text value of the request, refused if longer than {@value #MAX_VALUE_CHARS} characters. */
  private static String bounded(Task task, String key) {
    String value = task.getConfigOrDefault(key, "");
    if (value.length() > MAX_VALUE_CHARS) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "approval request field "
              + key
              + " is longer than "
              + MAX_VALUE_CHARS
              + " characters ("
              + value.length()
              + ")");
    }
    return value;
  }

  /** The source files the request carries, checked against {@link PlanSources}' limits. */
  private static PlanSources sources(Task task) {
    Map<String, String> files = new HashMap<>();
    for (Map.Entry<String, String> e : task.getConfigMap().entrySet()) {
      if (e.getKey().startsWith(TaskKeys.PLAN_SOURCE_PREFIX)) {
        files.put(e.getKey().substring(TaskKeys.PLAN_SOURCE_PREFIX.length()), e.getValue());
        if (files.size() > PlanSources.MAX_FILES) {
          break; // PlanSources.of refuses it, naming the limit
        }
      }
    }
    return PlanSources.of(files);
  }
}
