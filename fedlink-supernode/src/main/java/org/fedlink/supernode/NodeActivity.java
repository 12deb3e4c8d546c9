package org.fedlink.supernode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;

/**
 * What a node did lately, for its admin: the last tasks with their outcome, and counters (tasks run
 * by outcome, plan worker restarts) in a Prometheus registry, served on {@code [supernode]
 * metrics_address} and shown by the console. Thread-safe.
 */
public final class NodeActivity {
  /** Tasks kept for display. */
  public static final int KEPT = 50;

  /**
   * One task as the node ran it.
   *
   * @param outcome "ok", or the reason it failed (as sent to the researcher)
   * @param finishedMs 0 while it runs
   */
  public record TaskEntry(
      String taskId,
      String runId,
      String kind,
      int round,
      long receivedMs,
      long finishedMs,
      boolean ok,
      String outcome) {}

  private final InstantSource clock;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter ok;
  private final Counter failed;
  private final Deque<TaskEntry> recent = new ArrayDeque<>();

  public NodeActivity(InstantSource clock, LongSupplier workerRestarts) {
    this.clock = Objects.requireNonNull(clock, "clock");
    ok =
        Counter.builder("fedlink_supernode_tasks")
            .description("Tasks run, by outcome")
            .tag("outcome", "ok")
            .register(registry);
    failed =
        Counter.builder("fedlink_supernode_tasks")
            .description("Tasks run, by outcome")
            .tag("outcome", "error")
            .register(registry);
    Gauge.builder("fedlink_supernode_plan_worker_restarts", workerRestarts::getAsLong)
        .description("Plan workers started again after the previous one died")
        .register(registry);
  }

  /** Records a task received. */
  public synchronized void received(Task task) {
    recent.addFirst(
        new TaskEntry(
            task.getTaskId(),
            task.getRunId(),
            task.getKind(),
            task.getRound(),
            clock.millis(),
            0,
            false,
            "running"));
    while (recent.size() > KEPT) {
      recent.removeLast();
    }
  }

  /** Records a task's result. */
  public synchronized void finished(Task task, TaskResult result) {
    boolean success = result.getStatus().getCode() == 0;
    (success ? ok : failed).increment();
    List<TaskEntry> all = new ArrayList<>(recent);
    recent.clear();
    for (TaskEntry e : all) {
      recent.addLast(
          e.taskId().equals(task.getTaskId()) && e.finishedMs() == 0
              ? new TaskEntry(
                  e.taskId(),
                  e.runId(),
                  e.kind(),
                  e.round(),
                  e.receivedMs(),
                  clock.millis(),
                  success,
                  success ? "ok" : result.getStatus().getMessage())
              : e);
    }
  }

  /** The last tasks, newest first. */
  public synchronized List<TaskEntry> recent() {
    return List.copyOf(recent);
  }

  /** Tasks that ended with a result, by outcome. */
  public long tasksOk() {
    return (long) ok.count();
  }

  public long tasksFailed() {
    return (long) failed.count();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
