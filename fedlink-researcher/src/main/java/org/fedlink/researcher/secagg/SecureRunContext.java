package org.fedlink.researcher.secagg;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentListener;

/**
 * What a secure run needs from the experiment driving it.
 *
 * @param control the Control API connection
 * @param runId the run
 * @param plan the training plan id sent in train tasks
 * @param taskConfig the experiment's train task config
 * @param onlineNodes the nodes selected for a round (waits for the experiment's minimum)
 * @param listener progress listener
 * @param roundTimeout how long a phase waits for results
 * @param rounds the last round of the run (no masks are precomputed beyond it)
 */
public record SecureRunContext(
    ControlConnection control,
    String runId,
    String plan,
    Map<String, String> taskConfig,
    Supplier<List<Long>> onlineNodes,
    ExperimentListener listener,
    Duration roundTimeout,
    int rounds) {
  public SecureRunContext {
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(plan, "plan");
    taskConfig = Map.copyOf(taskConfig);
    Objects.requireNonNull(onlineNodes, "onlineNodes");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(roundTimeout, "roundTimeout");
  }
}
