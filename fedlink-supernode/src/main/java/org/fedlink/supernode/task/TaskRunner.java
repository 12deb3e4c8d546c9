package org.fedlink.supernode.task;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.store.DiskSpace;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.ml.ControlVariates;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalPrivacy;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.Splits;
import org.fedlink.ml.TrainTestSplit;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.proto.v1.Status;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.supernode.datasets.DatasetSource;
import org.fedlink.supernode.plans.PlanResolver;
import org.fedlink.supernode.secagg.NodeSecureAggregation;
import org.fedlink.transport.TaskKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task on the node's data and turns any failure into an error result: a bad task never
 * takes the node down and never sends a stack trace to a peer.
 */
public final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  /** Moves blobs between the node and the SuperLink. */
  public interface Blobs {
    byte[] download(String blobId);

    String upload(byte[] data);
  }

  private final DatasetSource datasets;
  private final PlanResolver plans;
  private final List<TaskPolicy> policies;
  private final Map<String, TaskHandler> handlers;
  private final NodeSecureAggregation secagg;
  private final ControlVariateStore variates;

  public TaskRunner(DatasetSource datasets, PlanResolver plans, List<TaskPolicy> policies) {
    this(datasets, plans, policies, Map.of(), null);
  }

  /** As the five-argument constructor, without SCAFFOLD (its tasks are refused). */
  public TaskRunner(
      DatasetSource datasets,
      PlanResolver plans,
      List<TaskPolicy> policies,
      Map<String, TaskHandler> handlers,
      NodeSecureAggregation secagg) {
    this(datasets, plans, policies, handlers, secagg, null);
  }

  /**
   * A runner that also runs the task kinds of {@code handlers} (kind to handler) and, with {@code
   * secagg} (may be null), secure-aggregation tasks and encrypted updates, and with {@code
   * variates} (may be null) SCAFFOLD training, keeping the node's control variates there.
   */
  public TaskRunner(
      DatasetSource datasets,
      PlanResolver plans,
      List<TaskPolicy> policies,
      Map<String, TaskHandler> handlers,
      NodeSecureAggregation secagg,
      ControlVariateStore variates) {
    this.variates = variates;
    this.datasets = datasets;
    this.plans = plans;
    this.policies = List.copyOf(policies);
    this.handlers = Map.copyOf(handlers);
    this.secagg = secagg;
  }

  /** Runs the task; the result is OK with its outputs, or an error naming this node. */
  public TaskResult run(long nodeId, Task task, Blobs blobs) {
    TaskResult.Builder result =
        TaskResult.newBuilder()
            .setTaskId(task.getTaskId())
            .setRunId(task.getRunId())
            .setNodeId(nodeId)
            .setRound(task.getRound())
            .setKind(task.getKind());
    try {
      for (TaskPolicy p : policies) {
        p.check(nodeId, task);
      }
      TaskHandler handler = handlers.get(task.getKind());
      String message = null;
      if (handler != null) {
        message = handler.handle(nodeId, task, blobs);
      } else if (secagg != null && secagg.handles(task)) {
        secagg.execute(nodeId, task, blobs, result);
      } else {
        execute(nodeId, task, blobs, result);
      }
      result.setStatus(Status.newBuilder().setCode(0).setMessage(message == null ? "" : message));
    } catch (FedlinkException e) {
      if (DiskSpace.isDiskFull(e)) {
        return result.setStatus(diskFull(nodeId, task, e)).build();
      }
      log.warn(
          "task {} ({}) refused or failed: {}", task.getTaskId(), task.getKind(), e.getMessage());
      // An internal failure's message may name local paths; the peer gets a generic one.
      String message =
          e.code() == ErrorCode.INTERNAL
              ? "internal error (details in the node's log)"
              : e.peerMessage();
      result.setStatus(
          Status.newBuilder()
              .setCode(e.code().code())
              .setMessage("node " + nodeId + ": " + message));
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError | LinkageError e) {
      if (DiskSpace.isDiskFull(e)) {
        return result.setStatus(diskFull(nodeId, task, e)).build();
      }
      log.error("task {} ({}) failed", task.getTaskId(), task.getKind(), e);
      result.setStatus(
          Status.newBuilder()
              .setCode(ErrorCode.TASK_FAILED.code())
              .setMessage(
                  "node "
                      + nodeId
                      + ": task failed: "
                      + e.getClass().getSimpleName()
                      + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    }
    return result.build();
  }

  /**
   * A full disk on this node: one log line naming the path and its free space; the researcher gets
   * the free space and the fix, not the path.
   */
  private static Status diskFull(long nodeId, Task task, Throwable e) {
    Optional<Path> where = DiskSpace.pathOf(e);
    log.error(
        "disk full: {}; task {} ({}) failed: {}",
        where.map(DiskSpace::describe).orElse("(path not known)"),
        task.getTaskId(),
        task.getKind(),
        e.getMessage());
    String free =
        where.map(p -> DiskSpace.format(DiskSpace.usableBytes(p)) + " free").orElse("no space");
    return Status.newBuilder()
        .setCode(ErrorCode.RESOURCE_EXHAUSTED.code())
        .setMessage(
            "node "
                + nodeId
                + ": disk full on the node ("
                + free
                + "); its admin must free space, then run again")
        .build();
  }

  private void execute(long nodeId, Task task, Blobs blobs, TaskResult.Builder result) {
    Map<String, String> config = task.getConfigMap();
    TrainingPlan plan = plans.resolve(nodeId, task, blobs);
    if (task.getKind().equals(TaskKeys.KIND_PREPARE_PLAN)) {
      return; // the plan arrived and this node allows it: nothing else to do
    }
    TrainTestSplit split = localSplit(config);
    switch (task.getKind()) {
      case TaskKeys.KIND_DESCRIBE -> {
        DataSummary summary = DataSummary.of(split.train());
        result.setBlobId(blobs.upload(ParametersCodec.encode(summary.toParameters())));
        result.setNumExamples(split.train().rows());
      }
      case TaskKeys.KIND_TRAIN -> {
        Parameters global = model(task, blobs);
        TrainingArgs args = TrainingArgs.fromMap(config);
        LocalUpdate update =
            "true".equals(config.get(ControlVariates.CONFIG_KEY))
                ? scaffold(nodeId, task, plan, global, split.train(), args)
                : plan.train(global, split.train(), args);
        global.requireSameLayout(update.parameters(), "trained model");
        LocalPrivacy dp = LocalPrivacy.fromConfig(config);
        if (dp != null) {
          // Clipped and noised before it leaves the node (before encryption); every node weighs
          // the same under DP, so its example count is not sent either.
          update =
              new LocalUpdate(
                  dp.privatize(global, update.parameters(), plan.frozenTensors()),
                  1,
                  update.metrics());
        }
        boolean secure = secagg != null && SecAggKeys.isSecure(config); // secure aggregation
        result.setBlobId(
            blobs.upload(
                secure
                    ? secagg.encrypt(nodeId, task, global, update)
                    : ParametersCodec.encode(update.parameters())));
        result.setNumExamples(update.numExamples());
        result.putAllMetrics(update.metrics());
      }
      case TaskKeys.KIND_EVALUATE -> {
        Parameters global = ControlVariates.model(model(task, blobs));
        Metrics m = plan.evaluate(global, split.test());
        result.putAllMetrics(m.toMap());
        result.setNumExamples(m.count());
      }
      default ->
          throw new FedlinkException(
              ErrorCode.INVALID_ARGUMENT,
              "unknown task kind '"
                  + task.getKind()
                  + "'; this node runs describe, train, evaluate, prepare_plan"
                  + handlers.keySet().stream()
                      .map(k -> ", " + k)
                      .sorted()
                      .reduce("", String::concat));
    }
  }

  /**
   * SCAFFOLD's local round: trains the model part of {@code global} with the gradient corrected by
   * {@code c - c_i}, computes the new variate {@code c_i+}, keeps it in the database and returns
   * the trained model joined with {@code c + (c_i+ - c_i)}.
   */
  private LocalUpdate scaffold(
      long nodeId,
      Task task,
      TrainingPlan plan,
      Parameters global,
      Dataset data,
      TrainingArgs args) {
    if (variates == null) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION, "this node keeps no SCAFFOLD control variates");
    }
    if (!ControlVariates.present(global)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "a SCAFFOLD task's model carries no control variates (" + ControlVariates.PREFIX + "*)");
    }
    if (!"sgd".equals(args.optimizer())) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "SCAFFOLD estimates its control variate from SGD steps; optimizer "
              + args.optimizer()
              + " is not supported with it: use --optimizer sgd");
    }
    Parameters x = ControlVariates.model(global);
    Parameters c = ControlVariates.variates(global);
    Parameters ci = variates.before(nodeId, task.getRunId(), task.getRound()).orElse(x.zerosLike());
    x.requireSameLayout(ci, "this node's stored SCAFFOLD variate");
    LocalUpdate trained = plan.train(x, data, args, ControlVariates.minus(c, ci));
    long batches = (data.rows() + args.batchSize() - 1) / args.batchSize();
    // Heavy-ball momentum m moves by lr / (1 - m) per unit of steady gradient: the effective rate.
    double rate = args.learningRate() / (1 - args.momentum());
    Parameters next =
        ControlVariates.next(ci, c, x, trained.parameters(), batches * args.epochs(), rate);
    variates.save(nodeId, task.getRunId(), task.getRound(), next);
    Parameters sent = ControlVariates.plus(c, ControlVariates.minus(next, ci));
    return new LocalUpdate(
        ControlVariates.join(trained.parameters(), sent), trained.numExamples(), trained.metrics());
  }

  private TrainTestSplit localSplit(Map<String, String> config) {
    String tags = config.getOrDefault(TaskKeys.DATASET_TAGS, "");
    if (tags.isBlank()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "task names no dataset tags");
    }
    List<String> wanted = Arrays.stream(tags.split(",")).map(String::trim).toList();
    Dataset data = datasets.select(wanted);
    double fraction = parse(config, TaskKeys.VALIDATION_FRACTION, 0.2);
    if (!(fraction > 0 && fraction < 1)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "validation_fraction " + fraction + " must be in (0, 1)");
    }
    long seed = (long) parse(config, TaskKeys.SPLIT_SEED, 42);
    return Splits.trainTest(data, fraction, seed);
  }

  private static Parameters model(Task task, Blobs blobs) {
    if (task.getModelBlobId().isEmpty()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "task carries no model");
    }
    return ParametersCodec.decode(blobs.download(task.getModelBlobId()));
  }

  private static double parse(Map<String, String> config, String key, double dflt) {
    String v = config.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, key + " '" + v + "' is not a number");
    }
  }
}
