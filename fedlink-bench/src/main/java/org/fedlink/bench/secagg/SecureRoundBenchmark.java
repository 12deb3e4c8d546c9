package org.fedlink.bench.secagg;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.Masks;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.supernode.secagg.SecureAggregationSettings;
import org.fedlink.testing.TestFederation;
import org.fedlink.testing.secagg.MpcTestParties;

/**
 * End-to-end cost of one Joye-Libert secure round against the same plain round: an in-process
 * SuperLink and N SuperNodes over TLS, a synthetic plan whose update has P parameters.
 *
 * <p>Measures: the setup (identify + key shares), the time to compute one round of masks for one
 * party on this machine, and for round 2 (masks precomputed during a pause that stands in for
 * training time) the added wall time of the secure round over the plain one, and the process CPU
 * time both runs spent. Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.secagg.SecureRoundBenchmark [params=1200000] [nodes=3] [bits=1024]}.
 */
public final class SecureRoundBenchmark {
  private SecureRoundBenchmark() {}

  public static void main(String[] a) throws Exception {
    int params = a.length > 0 ? Integer.parseInt(a[0]) : 1_200_000;
    int nodes = a.length > 1 ? Integer.parseInt(a[1]) : 3;
    int bits = a.length > 2 ? Integer.parseInt(a[2]) : 1024;
    Path dir = Files.createTempDirectory("fedlink-secround");
    Biprime n = Biprime.defaultBiprime(bits);
    BitBudget budget = BitBudget.of(bits, 3.0, 16, (1L << 20) - 1, nodes);
    int ciphertexts = budget.plaintextsFor(params);
    double maskSeconds = maskSeconds(n, ciphertexts);
    long pauseMs = (long) (maskSeconds * (nodes + 1) * 1000 * 1.15) + 1000;
    System.out.printf(
        Locale.ROOT,
        "%d nodes x %d parameters, N %d bits: %d ciphertexts per update; one party's masks for"
            + " one round take %.1f s on %d cores; pausing %.0f s between rounds%n",
        nodes,
        params,
        bits,
        ciphertexts,
        maskSeconds,
        Runtime.getRuntime().availableProcessors(),
        pauseMs / 1000.0);
    MpcTestParties parties = MpcTestParties.generate(dir.resolve("mpc"), nodes);
    SyntheticPlan plan = new SyntheticPlan();
    try (TestFederation f =
        TestFederation.builder(dir)
            .nodes(nodes)
            .heartbeat(Duration.ofSeconds(2))
            .nodeSettings(
                (i, b) ->
                    b.plans(name -> plan)
                        .secureAggregation(
                            SecureAggregationSettings.builder()
                                .identity(parties.identity(MpcTestParties.nodeComponent(i)))
                                .parties(parties.directoryOf(MpcTestParties.nodeComponent(i)))
                                .setupTimeout(Duration.ofMinutes(5))
                                .build()))
            .start()) {
      f.awaitOnline(nodes, Duration.ofSeconds(60));
      Parameters init = Parameters.of(Tensor.zeros("w", params));
      Timing plain = run(f, init, null, 0);
      SecureAggregation secure =
          SecureAggregation.joyeLibert()
              .biprime(n)
              .identity(parties.identity(MpcTestParties.RESEARCHER))
              .parties(parties.directoryOf(MpcTestParties.RESEARCHER))
              .setupTimeout(Duration.ofMinutes(5));
      Timing sec = run(f, init, secure, pauseMs);
      System.out.printf(
          Locale.ROOT,
          "plain  round 2: %6.2f s wall; run CPU %7.1f s%n",
          plain.round2,
          plain.cpuSeconds);
      System.out.printf(
          Locale.ROOT,
          "secure round 2: %6.2f s wall; run CPU %7.1f s; setup %.2f s; round 1 (setup + masks"
              + " on the critical path) %.2f s%n",
          sec.round2,
          sec.cpuSeconds,
          sec.setupSeconds,
          sec.round1);
      System.out.printf(
          Locale.ROOT,
          "added wait of a secure round with precomputed masks: %.2f s; extra CPU: %.1f s"
              + " (masks: ~%.0f s per party per round)%n",
          sec.round2 - plain.round2,
          sec.cpuSeconds - plain.cpuSeconds,
          maskSeconds * Runtime.getRuntime().availableProcessors());
    }
  }

  private record Timing(double round1, double round2, double setupSeconds, double cpuSeconds) {}

  private static Timing run(TestFederation f, Parameters init, SecureAggregation s, long pauseMs) {
    List<Double> setup = new ArrayList<>();
    long cpu0 = processCpuNanos();
    Experiment.Builder b =
        f.experiment()
            .plan(SyntheticPlan.ID)
            .initialModel(init)
            .rounds(2)
            .roundTimeout(Duration.ofMinutes(30))
            .listener(
                new ExperimentListener() {
                  long start;

                  @Override
                  public void phaseStarted(String phase, int n) {
                    start = System.nanoTime();
                  }

                  @Override
                  public void phaseFinished() {
                    setup.add((System.nanoTime() - start) / 1e9);
                  }

                  @Override
                  public void roundFinished(RoundMetrics m) {
                    if (m.round() == 1) {
                      sleep(pauseMs);
                    }
                  }
                });
    if (s != null) {
      b.secureAggregation(s);
    }
    ExperimentResult r = b.build().run();
    double cpu = (processCpuNanos() - cpu0) / 1e9 - 0;
    double setupSeconds = s == null ? 0 : setup.get(0) + setup.get(1);
    return new Timing(
        r.history().get(0).seconds(), r.history().get(1).seconds(), setupSeconds, cpu);
  }

  private static double maskSeconds(Biprime n, int count) {
    JoyeLibert scheme = new JoyeLibert(n);
    int sample = Math.min(count, 2000);
    try (Masks masks = Masks.withAllCores(scheme)) {
      masks.computeMasks(scheme.generateKey(new SecureRandom()), 1, 50);
      long t0 = System.nanoTime();
      masks.computeMasks(scheme.generateKey(new SecureRandom()), 1, sample);
      return (System.nanoTime() - t0) / 1e9 * count / sample;
    }
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
