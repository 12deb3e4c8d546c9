package org.fedlink.researcher;

/**
 * Follows an experiment as it runs (progress bars, logs). Called from the experiment's thread;
 * implementations must return quickly. All methods default to doing nothing.
 */
public interface ExperimentListener {
  /** A phase ("round 3/20", "describe") starts and expects {@code expectedResults} results. */
  default void phaseStarted(String phase, int expectedResults) {}

  /** One more result of the current phase arrived. */
  default void resultReceived(long nodeId, boolean ok) {}

  /** The current phase is over. */
  default void phaseFinished() {}

  /** A round is complete. */
  default void roundFinished(RoundMetrics metrics) {}

  /** Something the user should know (a node dropped, waiting for nodes). */
  default void info(String message) {}
}
