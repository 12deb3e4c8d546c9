package org.fedlink.researcher.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.fedlink.core.Parameters;
import org.fedlink.researcher.RoundMetrics;

/**
 * What an experiment needs to continue after its process died: the run it drives on the SuperLink,
 * the last round it completed, the global model after that round, the strategy's state, the metrics
 * so far, and the settings that decide the results (so a resumed run can refuse settings that
 * contradict them).
 *
 * @param runId the SuperLink run
 * @param round the last completed round (1-based)
 * @param model the global model after {@code round}
 * @param history the metrics of rounds 1..round
 * @param settings the experiment's settings that affect results, by name (see {@link Settings})
 * @param strategyState what {@link org.fedlink.researcher.strategies.Strategy#state()} returned
 */
public record Checkpoint(
    String runId,
    int round,
    Parameters model,
    List<RoundMetrics> history,
    Map<String, String> settings,
    Map<String, String> strategyState) {
  public Checkpoint {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(model, "model");
    history = List.copyOf(history);
    settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    strategyState = java.util.Collections.unmodifiableMap(new TreeMap<>(strategyState));
  }

  /** The number of rounds the experiment was set to run. */
  public int rounds() {
    return Integer.parseInt(settings.getOrDefault(Settings.ROUNDS, "0"));
  }

  /** Whether every round is done. */
  public boolean complete() {
    return round >= rounds();
  }
}
