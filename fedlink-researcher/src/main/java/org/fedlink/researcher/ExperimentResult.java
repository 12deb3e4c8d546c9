package org.fedlink.researcher;

import java.nio.file.Path;
import java.util.List;
import org.fedlink.core.Parameters;

/**
 * The outcome of an experiment.
 *
 * @param runId the SuperLink's run
 * @param model the final global model
 * @param history one entry per round
 * @param outputDir where metrics.csv, metrics.png and model.flp were written, or null
 */
public record ExperimentResult(
    String runId, Parameters model, List<RoundMetrics> history, Path outputDir) {
  public ExperimentResult {
    history = List.copyOf(history);
  }

  /** The last round's metrics. */
  public RoundMetrics last() {
    return history.get(history.size() - 1);
  }
}
