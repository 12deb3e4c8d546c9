package org.fedlink.researcher;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.RoundReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each finished round's line to the SuperLink, so that {@code fedlink runs log} can follow
 * the run from any machine. A SuperLink that keeps no run logs (an older one) only costs a warning:
 * the run itself does not depend on it.
 */
final class RunReports {
  private static final Logger log = LoggerFactory.getLogger(RunReports.class);

  private RunReports() {}

  /** The report of a round's metrics. */
  static RoundReport of(String runId, int rounds, RoundMetrics m) {
    RoundReport.Builder r =
        RoundReport.newBuilder()
            .setRunId(runId)
            .setRound(m.round())
            .setRounds(rounds)
            .setNodes(m.nodes())
            .setSeconds(Double.isFinite(m.seconds()) && m.seconds() > 0 ? m.seconds() : 0)
            .addAllDropped(m.dropped().stream().limit(16).map(RunReports::clip).toList());
    put(r, "train_loss", m.trainLoss());
    put(r, "val_loss", m.valLoss());
    put(r, "val_accuracy", m.valAccuracy());
    return r.build();
  }

  static void report(ControlConnection control, String runId, int rounds, RoundMetrics m) {
    try {
      control.reportRound(of(runId, rounds, m));
    } catch (FedlinkException e) {
      if (e.code() == ErrorCode.CANCELLED) {
        throw e;
      }
      log.warn("round {} could not be recorded on the SuperLink: {}", m.round(), e.getMessage());
    }
  }

  private static void put(RoundReport.Builder r, String name, double value) {
    if (!Double.isNaN(value)) {
      r.putMetrics(name, value);
    }
  }

  private static String clip(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
