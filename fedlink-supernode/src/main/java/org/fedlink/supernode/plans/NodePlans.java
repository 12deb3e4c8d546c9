package org.fedlink.supernode.plans;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.ml.plan.JarTrainingPlanLoader;
import org.fedlink.ml.plan.LoadedTrainingPlan;
import org.fedlink.ml.plan.PlanHash;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.isolation.PlanWorkers;
import org.fedlink.supernode.task.TaskRunner;
import org.fedlink.transport.TaskKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's plan resolver under its {@link PlanPolicy}: built-in plans if default plans are allowed;
 * researchers' JARs (task plan {@code jar:<sha256>}) received by a {@code prepare_plan} task, kept
 * in the {@link PlanCache}, hashed with the node's algorithm over {@link PlanHash}'s canonical form
 * and, when approval is required, run only if that hash is Approved in the {@link PlanStore}. The
 * approval is checked on every task, so a plan rejected mid-experiment stops at the next task. A
 * JAR's code is loaded only after the check passed, and only from the node's own copy of exactly
 * the hashed entries, verified after copying; under {@link PlanIsolation} it runs in a worker
 * process ({@link PlanWorkers}), never in the node (unless {@code plan_isolation = none}).
 *
 * <p>Thread-safe.
 */
public final class NodePlans implements PlanResolver {
  private static final Logger log = LoggerFactory.getLogger(NodePlans.class);

  private final PlanPolicy policy;
  private final PlanStore store;
  private final PlanCache cache;
  private final PlanIsolation isolation;
  private final PlanWorkers workers;
  private final Map<String, String> hashes = new ConcurrentHashMap<>();
  private final Map<String, LoadedTrainingPlan> inProcess = new ConcurrentHashMap<>();

  /** A resolver that runs researchers' plans under {@link PlanIsolation#defaults()}. */
  public NodePlans(PlanPolicy policy, PlanStore store, PlanCache cache) {
    this(policy, store, cache, PlanIsolation.defaults());
  }

  /** A resolver that runs researchers' plans under {@code isolation}. */
  public NodePlans(PlanPolicy policy, PlanStore store, PlanCache cache, PlanIsolation isolation) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.store = Objects.requireNonNull(store, "store");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.isolation = Objects.requireNonNull(isolation, "isolation");
    this.workers =
        isolation.level() == PlanIsolation.Level.NONE
            ? null
            : new PlanWorkers(isolation, cache.workersFolder());
  }

  /** The plan workers of this node, or null with {@code plan_isolation = none}. */
  public PlanWorkers workers() {
    return workers;
  }

  /** Resolves a built-in plan by name (JAR plans need the task: see the other overload). */
  @Override
  public TrainingPlan resolve(String planName) {
    if (planName.startsWith(TaskKeys.JAR_PLAN_PREFIX)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "a JAR training plan can only be resolved for a task");
    }
    return builtin(planName, "this node");
  }

  @Override
  public TrainingPlan resolve(long nodeId, Task task, TaskRunner.Blobs blobs) {
    String name = task.getPlan();
    String node = "node " + nodeId;
    if (!name.startsWith(TaskKeys.JAR_PLAN_PREFIX)) {
      return builtin(name, node);
    }
    String sha = name.substring(TaskKeys.JAR_PLAN_PREFIX.length());
    Path jar;
    if (task.getKind().equals(TaskKeys.KIND_PREPARE_PLAN)) {
      if (task.getModelBlobId().isEmpty()) {
        throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "prepare_plan task carries no JAR");
      }
      jar = cache.store(blobs.download(task.getModelBlobId()), sha);
    } else {
      Optional<Path> cached = cache.find(sha);
      if (cached.isEmpty()) {
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "training plan JAR "
                + PlanStore.shortHash(sha)
                + " was never sent to "
                + node
                + "; the researcher sends it at the start of each experiment: restart the"
                + " experiment");
      }
      jar = cached.get();
    }
    String hash = hashes.computeIfAbsent(sha, k -> PlanCache.planHash(jar, policy.algorithm()));
    String label = "training plan " + PlanStore.shortHash(hash);
    if (policy.approvalRequired()) {
      Optional<TrainingPlanRecord> record = store.find(hash, policy.algorithm().name());
      if (record.isEmpty() || record.get().status() != PlanStatus.APPROVED) {
        throw new FedlinkException(
            ErrorCode.REFUSED,
            label
                + " is not approved on "
                + node
                + " (status "
                + record.map(r -> r.status().display()).orElse("unknown: never requested")
                + "); ask the node's admin to approve it"
                + (record.isEmpty() ? " after 'fedlink plan request-approval'" : ""));
      }
    }
    isolation
        .unavailable()
        .ifPresent(
            why -> {
              throw new FedlinkException(
                  ErrorCode.REFUSED, label + " cannot run on " + node + ": " + why);
            });
    // Only the node's own copy of exactly the hashed entries ever reaches a class loader.
    Path verified = cache.verifiedCopy(sha, hash, policy.algorithm());
    if (workers == null) {
      return inProcess.computeIfAbsent(hash, k -> JarTrainingPlanLoader.open(verified)).plan();
    }
    if (task.getKind().equals(TaskKeys.KIND_PREPARE_PLAN)) {
      workers.warm(task.getRunId(), hash, verified, label, node);
    }
    return workers.plan(task.getRunId(), hash, verified, label, node);
  }

  @Override
  public void runStopped(String runId) {
    if (workers != null) {
      workers.stopRun(runId);
    }
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.close();
    }
    for (LoadedTrainingPlan p : inProcess.values()) {
      try {
        p.close();
      } catch (IOException e) {
        log.debug("closing the class loader of {}: {}", p.jar(), e.toString());
      }
    }
    inProcess.clear();
  }

  private TrainingPlan builtin(String name, String node) {
    if (!policy.allowDefaultPlans()) {
      throw new FedlinkException(
          ErrorCode.REFUSED,
          "default training plans are not allowed on "
              + node
              + " (plan "
              + name
              + "); send a JAR plan for approval instead");
    }
    return BuiltinPlans.get(name.startsWith("builtin:") ? name.substring(8) : name);
  }
}
