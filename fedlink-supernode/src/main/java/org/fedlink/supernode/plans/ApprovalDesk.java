package org.fedlink.supernode.plans;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.plan.JarTrainingPlanLoader;
import org.fedlink.ml.plan.PlanHash;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.task.TaskHandler;
import org.fedlink.supernode.task.TaskRunner;
import org.fedlink.transport.TaskKeys;

/**
 * Handles {@code approval_request} tasks: receives the JAR (the task's model blob), keeps it in the
 * {@link PlanCache}, and records its hash as Pending in the {@link PlanStore} with the researcher's
 * id, unless the node already knows it. It never loads the JAR's code. The OK result's message
 * states the plan's status on this node. Thread-safe.
 */
public final class ApprovalDesk implements TaskHandler {
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
    String sha = task.getConfigOrDefault(TaskKeys.PLAN_SHA256, "");
    Path jar = cache.store(blobs.download(task.getModelBlobId()), sha);
    String hash = PlanHash.of(jar, policy.algorithm());
    String name = task.getConfigOrDefault(TaskKeys.PLAN_NAME, jar.getFileName().toString());
    String researcher = task.getConfigOrDefault(TaskKeys.RESEARCHER_ID, "");
    TrainingPlanRecord record =
        store.request(
            hash,
            policy.algorithm().name(),
            name,
            className(jar),
            researcher.isBlank() ? null : researcher,
            jar,
            sha.strip().toLowerCase(java.util.Locale.ROOT));
    return "training plan "
        + record.shortHash()
        + " ("
        + name
        + ") is "
        + record.status().display()
        + " on node "
        + nodeId
        + (policy.approvalRequired() ? "" : " (this node does not require approval)");
  }

  private static String className(Path jar) {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest m = file.getManifest();
      String c =
          m == null ? null : m.getMainAttributes().getValue(JarTrainingPlanLoader.PLAN_ATTRIBUTE);
      return c == null || c.isBlank() ? "unknown" : c.strip();
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "the training plan sent is not a readable JAR: " + e, e);
    }
  }
}
