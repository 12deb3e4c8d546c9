package org.fedlink.superlink.control;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.RoundReport;
import org.fedlink.proto.v1.RunLog;
import org.fedlink.proto.v1.RunSummary;
import org.fedlink.superlink.state.LinkState;

/**
 * The round lines of runs, as their researchers report them: checked, stamped and kept in the
 * state, so that {@code fedlink runs log} works from any machine after the researcher is gone.
 * Access is checked by the caller ({@link RunAccess}). Stateless apart from the state; thread-safe.
 */
public final class RunLogs {
  /** The largest report stored, serialized; a real round's line is a few hundred bytes. */
  public static final int MAX_REPORT_BYTES = 16 * 1024;

  static final int MAX_METRICS = 32;
  static final int MAX_NAME_CHARS = 64;
  static final int MAX_ROUND = 1_000_000;

  private final LinkState state;
  private final Clock clock;

  public RunLogs(LinkState state, Clock clock) {
    this.state = Objects.requireNonNull(state, "state");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Stores a report of an open run, replacing one of the same round.
   *
   * @return the report as stored (with its time)
   * @throws FedlinkException INVALID_ARGUMENT naming what is out of bounds, FAILED_PRECONDITION if
   *     the run is stopped
   */
  public RoundReport save(RoundReport report) {
    check(report);
    RunSummary run = summary(report.getRunId());
    if (run.getRun().getStopped()) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "run "
              + report.getRunId()
              + " is stopped ("
              + run.getRun().getStopReason()
              + "): its rounds are final");
    }
    RoundReport stamped = report.toBuilder().setReportedMs(clock.millis()).build();
    state.saveRoundReport(stamped);
    return stamped;
  }

  /** The run's summary and its rounds after {@code afterRound}. */
  public RunLog log(String runId, int afterRound) {
    RunSummary run = summary(runId);
    List<RoundReport> rounds = state.roundReports(runId, Math.max(0, afterRound));
    return RunLog.newBuilder().setSummary(run).addAllRounds(rounds).build();
  }

  /** Every run, newest first; the caller filters what a researcher may see. */
  public List<RunSummary> runs() {
    return state.runSummaries();
  }

  /** The run's summary. */
  public RunSummary summary(String runId) {
    return state
        .runSummary(runId)
        .orElseThrow(
            () -> new FedlinkException(ErrorCode.NOT_FOUND, "run " + runId + " does not exist"));
  }

  static void check(RoundReport r) {
    if (r.getSerializedSize() > MAX_REPORT_BYTES) {
      throw invalid(
          "round report of " + r.getSerializedSize() + " bytes is over " + MAX_REPORT_BYTES);
    }
    if (r.getRound() < 1 || r.getRound() > MAX_ROUND) {
      throw invalid("round " + r.getRound() + " is out of range: use 1 to " + MAX_ROUND);
    }
    if (r.getRounds() < 0 || r.getNodes() < 0 || !(r.getSeconds() >= 0)) {
      throw invalid("rounds, nodes and seconds must not be negative");
    }
    if (r.getMetricsCount() > MAX_METRICS) {
      throw invalid(r.getMetricsCount() + " metrics in a round report: at most " + MAX_METRICS);
    }
    for (Map.Entry<String, Double> m : r.getMetricsMap().entrySet()) {
      String name = m.getKey();
      if (name.isEmpty()
          || name.length() > MAX_NAME_CHARS
          || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')
          || !name.chars().allMatch(ch -> ch < 128)) {
        throw invalid(
            "metric name of "
                + name.length()
                + " characters is not allowed: use 1 to "
                + MAX_NAME_CHARS
                + " ASCII letters, digits or '_'");
      }
    }
  }

  private static FedlinkException invalid(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
