package org.fedlink.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedlink.core.TerminalText;
import org.fedlink.proto.v1.RoundReport;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.RunLog;
import org.fedlink.proto.v1.RunSummary;
import org.fedlink.researcher.ControlConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink runs list|show|log|stop}: a researcher's runs as the SuperLink knows them, from
 * any machine. A researcher sees only the runs its key created (every run on an anonymous Control
 * API). The round lines come from the SuperLink, where each round's researcher recorded them, so
 * they outlive the researcher's process. Everything a peer chose is printed through {@link
 * TerminalText} (or escaped JSON).
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List, inspect, follow and stop runs on the SuperLink.",
    subcommands = {
      RunsCommand.ListRuns.class,
      RunsCommand.Show.class,
      RunsCommand.Log.class,
      RunsCommand.Stop.class
    })
final class RunsCommand {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Options every subcommand shares. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions client = new ClientOptions();

    @Mixin org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

    @Option(names = "--json", description = "Print JSON (one object; `log` prints one per line).")
    boolean json;

    ControlConnection connect() {
      config.fill(org.fedlink.core.config.Component.RESEARCHER);
      Clients.requireTlsChoice(client);
      return new ControlConnection(
          client.endpoint(),
          client.rootCertificates,
          Clients.authentication(client),
          Duration.ofSeconds(10));
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  /** {@code runs list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List runs: id, owner, state, round, nodes, started (newest first).")
  static final class ListRuns extends Base {
    @Override
    public Integer call() {
      List<RunSummary> runs;
      try (ControlConnection c = connect()) {
        runs = c.listRuns();
      }
      PrintWriter out = out();
      if (json) {
        out.println(Json.array(runs.stream().map(RunsCommand::summaryJson).toList()));
      } else if (runs.isEmpty()) {
        out.println("no run yet; start one with `fedlink run`");
      } else {
        out.printf(
            "%-36s  %-20s  %-8s  %-7s  %5s  %s%n",
            "RUN ID", "OWNER", "STATE", "ROUND", "NODES", "STARTED");
        for (RunSummary r : runs) {
          out.printf(
              "%-36s  %-20s  %-8s  %-7s  %5d  %s%n",
              TerminalText.line(r.getRun().getRunId()),
              owner(r),
              state(r.getRun()),
              round(r),
              r.getNodes(),
              TIME.format(Instant.ofEpochMilli(r.getRun().getCreatedMs())));
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code runs show RUN}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a run: its settings, state and the metrics of each round.")
  static final class Show extends Base {
    @Parameters(paramLabel = "RUN", description = "The run id, as `runs list` shows.")
    String runId;

    @Override
    public Integer call() {
      RunLog log;
      try (ControlConnection c = connect()) {
        log = c.runLog(runId, 0);
      }
      PrintWriter out = out();
      if (json) {
        out.println(
            Json.object()
                .raw("run", summaryJson(log.getSummary()))
                .raw(
                    "rounds",
                    Json.array(log.getRoundsList().stream().map(RunsCommand::roundJson).toList()))
                .end());
        out.flush();
        return 0;
      }
      RunSummary s = log.getSummary();
      Run run = s.getRun();
      field(out, "run", TerminalText.line(run.getRunId()));
      field(out, "owner", owner(s));
      field(out, "state", state(run));
      if (run.getStopped()) {
        field(
            out,
            "stopped",
            TIME.format(Instant.ofEpochMilli(run.getStoppedMs()))
                + " ("
                + TerminalText.line(run.getStopReason())
                + ")");
      }
      field(out, "started", TIME.format(Instant.ofEpochMilli(run.getCreatedMs())));
      field(out, "round", round(s));
      field(out, "nodes", Integer.toString(s.getNodes()));
      for (Map.Entry<String, String> e :
          run.getConfigMap().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
        field(out, "  " + TerminalText.line(e.getKey()), TerminalText.line(e.getValue()));
      }
      if (log.getRoundsCount() == 0) {
        field(out, "rounds", "none recorded yet");
      } else {
        out.println();
        out.println(HEADER);
        log.getRoundsList().forEach(r -> out.println(line(r)));
      }
      out.flush();
      return 0;
    }
  }

  /** {@code runs log RUN [--follow]}. */
  @Command(
      name = "log",
      mixinStandardHelpOptions = true,
      description = {
        "Print a run's round lines; with --follow, keep printing them as they come until the run",
        "stops (from any machine, also after the researcher's process is gone)."
      })
  static final class Log extends Base {
    @Parameters(paramLabel = "RUN", description = "The run id, as `runs list` shows.")
    String runId;

    @Option(
        names = {"-f", "--follow"},
        description = "Wait for new rounds until the run stops.")
    boolean follow;

    @Option(
        names = "--poll-ms",
        defaultValue = "1000",
        paramLabel = "MS",
        description = "With --follow, how often to ask the SuperLink (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Override
    public Integer call() throws InterruptedException {
      if (pollMs < 100 || pollMs > 60_000) {
        throw new org.fedlink.core.FedlinkException(
            org.fedlink.core.ErrorCode.CONFIGURATION,
            "--poll-ms " + pollMs + " is out of range: use 100 to 60000");
      }
      PrintWriter out = out();
      int last = 0;
      boolean header = false;
      try (ControlConnection c = connect()) {
        while (true) {
          RunLog log = c.runLog(runId, last);
          for (RoundReport r : log.getRoundsList()) {
            if (json) {
              out.println(roundJson(r));
            } else {
              if (!header) {
                out.println(HEADER);
                header = true;
              }
              out.println(line(r));
            }
            last = Math.max(last, r.getRound());
          }
          out.flush();
          Run run = log.getSummary().getRun();
          if (run.getStopped() || !follow) {
            if (!json) {
              out.println(
                  run.getStopped()
                      ? "run "
                          + TerminalText.line(runId)
                          + " "
                          + state(run)
                          + ": "
                          + TerminalText.line(run.getStopReason())
                      : "run "
                          + TerminalText.line(runId)
                          + " is running (round "
                          + round(log.getSummary())
                          + "); --follow waits for more");
            }
            out.flush();
            return 0;
          }
          Thread.sleep(pollMs);
        }
      }
    }
  }

  /** {@code runs stop RUN}. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop a run: its nodes end its tasks; its researcher's next call is refused.")
  static final class Stop extends Base {
    @Parameters(paramLabel = "RUN", description = "The run id, as `runs list` shows.")
    String runId;

    @Override
    public Integer call() {
      Run run;
      try (ControlConnection c = connect()) {
        c.stopRun(runId);
        run = c.runLog(runId, Integer.MAX_VALUE).getSummary().getRun();
      }
      PrintWriter out = out();
      if (json) {
        out.println(
            Json.object()
                .put("run_id", run.getRunId())
                .put("stopped", run.getStopped())
                .put("stop_reason", run.getStopReason())
                .end());
      } else {
        out.println(
            "run "
                + TerminalText.line(run.getRunId())
                + " stopped ("
                + TerminalText.line(run.getStopReason())
                + ")");
      }
      out.flush();
      return 0;
    }
  }

  static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-8s %6s %11s %10s %13s %9s  %s",
          "ROUND",
          "NODES",
          "TRAIN_LOSS",
          "VAL_LOSS",
          "VAL_ACCURACY",
          "SECONDS",
          "TIME");

  static String line(RoundReport r) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-8s %6d %11s %10s %13s %9.2f  %s",
                r.getRound() + (r.getRounds() > 0 ? "/" + r.getRounds() : ""),
                r.getNodes(),
                metric(r, "train_loss"),
                metric(r, "val_loss"),
                metric(r, "val_accuracy"),
                r.getSeconds(),
                TIME.format(Instant.ofEpochMilli(r.getReportedMs()))));
    List<String> others = new ArrayList<>();
    r.getMetricsMap().entrySet().stream()
        .filter(e -> !List.of("train_loss", "val_loss", "val_accuracy").contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> others.add(TerminalText.line(e.getKey()) + "=" + fmt(e.getValue())));
    if (!others.isEmpty()) {
      b.append("  ").append(String.join(" ", others));
    }
    for (String d : r.getDroppedList()) {
      b.append(System.lineSeparator()).append("         dropped: ").append(TerminalText.line(d));
    }
    return b.toString();
  }

  private static String metric(RoundReport r, String name) {
    Double v = r.getMetricsMap().get(name);
    return v == null ? "-" : fmt(v);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  static String owner(RunSummary r) {
    return r.getOwner().isEmpty() ? "-" : TerminalText.line(r.getOwner());
  }

  static String state(Run run) {
    return run.getStopped() ? "stopped" : "running";
  }

  static String round(RunSummary r) {
    String total = r.getRun().getConfigOrDefault("rounds", "");
    return r.getRound() + (total.matches("[0-9]{1,9}") ? "/" + total : "");
  }

  static String summaryJson(RunSummary r) {
    Run run = r.getRun();
    return Json.object()
        .put("run_id", run.getRunId())
        .put("owner", r.getOwner())
        .put("state", state(run))
        .put("round", r.getRound())
        .put("nodes", r.getNodes())
        .put("started_ms", run.getCreatedMs())
        .put("stopped_ms", run.getStoppedMs())
        .put("stop_reason", run.getStopReason())
        .putStrings("config", run.getConfigMap())
        .end();
  }

  static String roundJson(RoundReport r) {
    return Json.object()
        .put("run_id", r.getRunId())
        .put("round", r.getRound())
        .put("rounds", r.getRounds())
        .put("nodes", r.getNodes())
        .putNumbers("metrics", r.getMetricsMap())
        .put("seconds", r.getSeconds())
        .raw("dropped", Json.array(r.getDroppedList().stream().map(Json::quote).toList()))
        .put("reported_ms", r.getReportedMs())
        .end();
  }

  private static void field(PrintWriter out, String label, String value) {
    out.printf("%-12s%s%n", label, value);
  }
}
