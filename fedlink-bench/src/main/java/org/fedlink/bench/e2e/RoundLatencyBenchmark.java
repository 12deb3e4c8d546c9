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
 * org.fedlink.bench.e2e.RoundLatencyBenchmark [nodes=10] [rounds=20] [warmupRounds=40] [nosync]}
 */
public final class RoundLatencyBenchmark {
  private RoundLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    // "nosync": blobs are not flushed to disk, to show what the flushes cost a round
    boolean sync = !(args.length > 3 && args[3].equals("nosync"));
    Path dir = Files.createTempDirectory("fedlink-bench-");
    try (TestFederation f =
        TestFederation.builder(dir)
            .nodes(nodes)
            .alpha(100)
            .heartbeat(Duration.ofSeconds(1))
            .superlinkSettings(link -> link.syncBlobs(sync))
            .start()) {
      f.awaitOnline(nodes, Duration.ofSeconds(60));
      TrainingArgs targs = TrainingArgs.defaults();
      f.experiment().rounds(warmup).trainingArgs(targs).build().run();
      PhaseClock clock = new PhaseClock();
      ExperimentResult r =
          f.experiment().rounds(rounds).trainingArgs(targs).listener(clock).build().run();
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
      clock.print();
      for (RoundMetrics m : r.history()) {
        if (!m.dropped().isEmpty()) {
          System.out.println("round " + m.round() + " dropped " + m.dropped());
        }
      }
    }
  }

  /**
   * Where a round's time goes, from the experiment's own events: before the train phase (listing
   * nodes, uploading the model), the train phase until its first result and until its last, the gap
   * to the evaluate phase (aggregation, uploading the new model), the evaluate phase, and the end
   * of the round (metrics line, checkpoint).
   */
  static final class PhaseClock implements org.fedlink.researcher.ExperimentListener {
    private static final String[] NAMES = {
      "before train", "train to 1st result", "train rest", "aggregate+upload", "evaluate", "record"
    };
    private final java.util.List<long[]> rounds = new java.util.ArrayList<>();
    private long[] t = new long[7];
    private int phase;
    private boolean first;

    PhaseClock() {
      t[0] = System.nanoTime();
    }

    @Override
    public void phaseStarted(String label, int expected) {
      if (phase == 0) {
        t[1] = System.nanoTime();
        first = true;
      } else {
        t[4] = System.nanoTime();
      }
    }

    @Override
    public void resultReceived(long nodeId, boolean ok) {
      if (phase == 0 && first) {
        t[2] = System.nanoTime();
        first = false;
      }
    }

    @Override
    public void phaseFinished() {
      t[phase == 0 ? 3 : 5] = System.nanoTime();
      phase = 1 - phase;
    }

    @Override
    public void roundFinished(RoundMetrics m) {
      t[6] = System.nanoTime();
      rounds.add(t);
      long end = t[6];
      t = new long[7];
      t[0] = end;
      phase = 0;
    }

    void print() {
      StringBuilder out = new StringBuilder("median ms per part of a round:");
      for (int i = 0; i < NAMES.length; i++) {
        int k = i;
        double[] d = rounds.stream().mapToDouble(x -> (x[k + 1] - x[k]) / 1e6).sorted().toArray();
        out.append(String.format(Locale.ROOT, " %s %.1f;", NAMES[i], percentile(d, 50)));
      }
      System.out.println(out);
    }
  }

  private static double percentile(double[] sorted, int p) {
    double pos = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
