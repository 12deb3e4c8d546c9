package org.fedlink.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.testing.TestFederation;

/**
 * End-to-end round latency: one SuperLink and N SuperNodes over loopback TLS in this JVM, a tiny
 * model (logistic regression on the breast-cancer data, 62 parameters), R rounds of train +
 * evaluate with FedAvg. Prints the median and other percentiles of milliseconds per round.
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.e2e.RoundLatencyBenchmark [nodes=10] [rounds=20] [warmupRounds=40]}
 */
public final class RoundLatencyBenchmark {
  private RoundLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    Path dir = Files.createTempDirectory("fedlink-bench-");
    try (TestFederation f =
        TestFederation.builder(dir)
            .nodes(nodes)
            .alpha(100)
            .heartbeat(Duration.ofSeconds(1))
            .start()) {
      f.awaitOnline(nodes, Duration.ofSeconds(60));
      TrainingArgs targs = TrainingArgs.defaults();
      f.experiment().rounds(warmup).trainingArgs(targs).build().run();
      ExperimentResult r = f.experiment().rounds(rounds).trainingArgs(targs).build().run();
      double[] ms = r.history().stream().mapToDouble(m -> m.seconds() * 1000).sorted().toArray();
      System.out.printf(
          Locale.ROOT,
          "nodes=%d rounds=%d (after %d warm-up rounds): median %.1f ms/round, p10 %.1f, p90 %.1f,"
              + " min %.1f, max %.1f; final val accuracy %.4f%n",
          nodes,
          rounds,
          warmup,
          percentile(ms, 50),
          percentile(ms, 10),
          percentile(ms, 90),
          ms[0],
          ms[ms.length - 1],
          r.history().get(r.history().size() - 1).valAccuracy());
      System.out.println(
          "per round (ms): "
              + Arrays.toString(
                  r.history().stream().mapToLong(m -> Math.round(m.seconds() * 1000)).toArray()));
      for (RoundMetrics m : r.history()) {
        if (!m.dropped().isEmpty()) {
          System.out.println("round " + m.round() + " dropped " + m.dropped());
        }
      }
    }
  }

  private static double percentile(double[] sorted, int p) {
    double pos = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
