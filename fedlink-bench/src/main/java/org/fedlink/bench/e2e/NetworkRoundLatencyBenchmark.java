package org.fedlink.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.testing.netns.EmulatedNetwork;
import org.fedlink.testing.netns.LinkShaper;
import org.fedlink.testing.netns.NamespaceFederation;

/**
 * Round latency between processes, on loopback and over shaped links, in one run: a SuperLink and N
 * SuperNodes as separate JVMs started through the CLI, first all on loopback, then each in a
 * network namespace of its own ({@link NamespaceFederation}) with the nodes' links shaped in turn
 * to no delay, 100 ms round trip, and 100 ms round trip with 1% loss each way. The researcher runs
 * in this JVM beside the SuperLink. Each setting runs W warm-up rounds, then R measured rounds of a
 * tiny model (logistic regression on the breast-cancer data, train + evaluate with FedAvg).
 *
 * <p>Needs root (network namespaces). The CLI's processes need the DJL classes benchmarks.jar
 * leaves out, so it runs on the distribution's class path: {@code java -cp
 * "fedlink-bench/target/classes:fedlink-testing/target/classes:fedlink-cli/target/lib/*:fedlink-cli/target/fedlink-cli.jar"
 * org.fedlink.bench.e2e.NetworkRoundLatencyBenchmark [nodes=10] [rounds=20] [warmupRounds=10]}
 */
public final class NetworkRoundLatencyBenchmark {
  private NetworkRoundLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Optional<String> missing = EmulatedNetwork.unavailable();
    if (missing.isPresent()) {
      System.err.println("cannot run: " + missing.get());
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("fedlink-netbench-");
    List<String> lines = new ArrayList<>();
    try (NamespaceFederation f =
        NamespaceFederation.builder(dir.resolve("loopback")).nodes(nodes).loopback(true).start()) {
      f.awaitOnline(nodes, Duration.ofMinutes(3));
      lines.add(measure("loopback (127.0.0.1)", f, rounds, warmup));
    }
    try (NamespaceFederation f =
        NamespaceFederation.builder(dir.resolve("netns")).nodes(nodes).seed(1).start()) {
      LinkShaper links = f.network().links();
      System.out.println("links shaped by " + links.mechanism());
      f.awaitOnline(nodes, Duration.ofMinutes(3));
      lines.add(measure("namespaces, links without delay", f, rounds, warmup));
      shape(f, nodes, Duration.ofMillis(50), 0);
      lines.add(measure("namespaces, 100 ms round trip", f, rounds, warmup));
      shape(f, nodes, Duration.ofMillis(50), 0.01);
      lines.add(measure("namespaces, 100 ms round trip, 1% loss each way", f, rounds, warmup));
    }
    System.out.printf(
        Locale.ROOT,
        "nodes=%d rounds=%d (after %d warm-up rounds each), ms per round:%n",
        nodes,
        rounds,
        warmup);
    lines.forEach(System.out::println);
  }

  private static void shape(NamespaceFederation f, int nodes, Duration oneWay, double loss) {
    for (int i = 0; i < nodes; i++) {
      f.network().links().shape(NamespaceFederation.node(i), oneWay, loss);
    }
  }

  private static String measure(String label, NamespaceFederation f, int rounds, int warmup) {
    TrainingArgs targs = TrainingArgs.defaults();
    Duration timeout = Duration.ofSeconds(60);
    f.experiment().rounds(warmup).trainingArgs(targs).roundTimeout(timeout).build().run();
    ExperimentResult r =
        f.experiment().rounds(rounds).trainingArgs(targs).roundTimeout(timeout).build().run();
    double[] ms = r.history().stream().mapToDouble(m -> m.seconds() * 1000).sorted().toArray();
    long dropped = r.history().stream().filter(m -> !m.dropped().isEmpty()).count();
    String line =
        String.format(
            Locale.ROOT,
            "%-50s median %7.1f  p10 %7.1f  p90 %7.1f  min %7.1f  max %7.1f%s",
            label,
            percentile(ms, 50),
            percentile(ms, 10),
            percentile(ms, 90),
            ms[0],
            ms[ms.length - 1],
            dropped == 0 ? "" : "  (" + dropped + " rounds dropped a node)");
    System.out.println(line);
    System.out.println(
        "  per round (ms): "
            + r.history().stream()
                .mapToLong(m -> Math.round(m.seconds() * 1000))
                .boxed()
                .map(String::valueOf)
                .reduce((a, b) -> a + " " + b)
                .orElse(""));
    for (RoundMetrics m : r.history()) {
      if (!m.dropped().isEmpty()) {
        System.out.println("  round " + m.round() + " dropped " + m.dropped());
      }
    }
    return line;
  }

  private static double percentile(double[] sorted, int p) {
    double pos = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
