package org.fedlink.superlink.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.RoundReport;

/**
 * What a SuperLink counts, in a Prometheus registry: calls by method and status, bytes received and
 * sent, authentication refusals by reason, tasks pushed and results received, round durations, and
 * gauges read at each scrape (nodes registered and online, runs open, database and blob sizes).
 * Thread-safe.
 */
public final class SuperLinkMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Counter tasks;
  private final Timer rounds;

  public SuperLinkMetrics() {
    bytesIn =
        Counter.builder("fedlink_superlink_received_bytes")
            .description("Serialized request messages received")
            .register(registry);
    bytesOut =
        Counter.builder("fedlink_superlink_sent_bytes")
            .description("Serialized response messages sent")
            .register(registry);
    tasks =
        Counter.builder("fedlink_superlink_tasks_pushed")
            .description("Tasks researchers pushed")
            .register(registry);
    rounds =
        Timer.builder("fedlink_superlink_round_duration")
            .description("Wall time of finished rounds, as researchers report them")
            .publishPercentileHistogram(false)
            .register(registry);
  }

  /**
   * Adds the gauges read at each scrape.
   *
   * @param nodes the registered nodes with their presence
   * @param openRuns runs not stopped
   * @param database the state database file (its WAL beside it is counted too)
   * @param blobs the blob folder
   */
  public void watch(
      Supplier<List<Node>> nodes, Supplier<Integer> openRuns, Path database, Path blobs) {
    Gauge.builder("fedlink_superlink_nodes_registered", () -> nodes.get().size())
        .description("Nodes registered and not deleted")
        .register(registry);
    Gauge.builder(
            "fedlink_superlink_nodes_online",
            () -> nodes.get().stream().filter(Node::getOnline).count())
        .description("Registered nodes whose heartbeat is current")
        .register(registry);
    Gauge.builder("fedlink_superlink_runs_open", openRuns::get)
        .description("Runs not stopped")
        .register(registry);
    Gauge.builder(
            "fedlink_superlink_database_bytes",
            () -> size(database) + size(Path.of(database + "-wal")))
        .description("State database with its write-ahead log")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("fedlink_superlink_blobs_bytes", () -> folderSize(blobs))
        .description("Files of the blob folder")
        .baseUnit("bytes")
        .register(registry);
  }

  /** Counts a finished call. */
  public void call(String method, String status) {
    Counter.builder("fedlink_superlink_calls")
        .description("Calls finished, by method and gRPC status")
        .tag("method", method)
        .tag("status", status)
        .register(registry)
        .increment();
  }

  /** Counts an authentication refusal. */
  public void refusal(String role, String reason) {
    Counter.builder("fedlink_superlink_auth_refusals")
        .description("Calls refused by authentication, by caller role and reason")
        .tag("role", role)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void received(long bytes) {
    bytesIn.increment(bytes);
  }

  void sent(long bytes) {
    bytesOut.increment(bytes);
  }

  void tasksPushed(int count) {
    tasks.increment(count);
  }

  void result(boolean ok) {
    Counter.builder("fedlink_superlink_results_received")
        .description("Results nodes pushed, by outcome")
        .tag("outcome", ok ? "ok" : "error")
        .register(registry)
        .increment();
  }

  /** Records a reported round. */
  public void round(RoundReport report) {
    rounds.record(Duration.ofNanos((long) (report.getSeconds() * 1e9)));
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static long folderSize(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.mapToLong(SuperLinkMetrics::size).sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
