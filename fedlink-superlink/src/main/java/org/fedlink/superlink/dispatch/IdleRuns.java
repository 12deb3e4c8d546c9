package org.fedlink.superlink.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.fedlink.superlink.state.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the runs whose researcher is gone: a run that got no Control call naming it for longer than
 * the idle timeout, and has no researcher stream open waiting for its results, is stopped with the
 * reason recorded, so its nodes end its plan workers and its blobs are deleted. A researcher that
 * resumes a run within the timeout (its calls name the run) keeps it alive.
 *
 * <p>Activity is kept in memory: after a SuperLink restart every run not stopped counts as active
 * at the restart, so a restart never stops a run at once. Time comes from an {@link InstantSource},
 * so tests move it instead of waiting. Thread-safe.
 */
public final class IdleRuns {
  private static final Logger log = LoggerFactory.getLogger(IdleRuns.class);

  private final LinkState state;
  private final Coordinator coordinator;
  private final Dispatcher dispatcher;
  private final Duration timeout;
  private final InstantSource clock;
  private final Instant started;
  private final Map<String, Instant> lastCall = new ConcurrentHashMap<>();

  /**
   * @param timeout how long a run may go without a Control call before it is stopped; positive
   */
  public IdleRuns(
      LinkState state,
      Coordinator coordinator,
      Dispatcher dispatcher,
      Duration timeout,
      InstantSource clock) {
    this.state = Objects.requireNonNull(state, "state");
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("run idle timeout " + timeout + " must be positive");
    }
    this.started = clock.instant();
  }

  /** Records a Control call naming the run. */
  public void touch(String runId) {
    lastCall.put(runId, clock.instant());
  }

  /** Whether a researcher stream is open waiting for the run's results (which keeps it alive). */
  public boolean researcherWaiting(String runId) {
    return dispatcher.isWaiting(runId);
  }

  /**
   * Stops every run idle for longer than the timeout.
   *
   * @return the ids of the runs stopped by this call
   */
  public List<String> sweep() {
    Instant now = clock.instant();
    List<String> stopped = new ArrayList<>();
    for (String runId : state.activeRuns()) {
      if (dispatcher.isWaiting(runId)) {
        lastCall.put(runId, now); // a researcher waiting on results is present
        continue;
      }
      Instant last = lastCall.getOrDefault(runId, started);
      if (Duration.between(last, now).compareTo(timeout) > 0) {
        String reason =
            "no call from its researcher for "
                + timeout.toSeconds()
                + " s ([superlink] run_idle_timeout_s)";
        coordinator.stopRun(runId, now.toEpochMilli(), reason);
        lastCall.remove(runId);
        stopped.add(runId);
        log.info("run {} stopped: {}", runId, reason);
      }
    }
    return stopped;
  }
}
