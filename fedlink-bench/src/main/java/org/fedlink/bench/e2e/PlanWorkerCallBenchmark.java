package org.fedlink.bench.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.fedlink.core.Parameters;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LogisticRegressionPlan;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.isolation.PlanWorkers;

/**
 * The cost of one call into a plan worker, beside the same call in this JVM: a JAR plan delegating
 * to logistic regression, {@code train} and {@code evaluate} on 455 rows of 30 features, called
 * back to back. Prints the median of each after warm-up, per isolation level.
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.e2e.PlanWorkerCallBenchmark PLAN.jar [calls=500]}; the plan JAR is the one
 * {@link PlanIsolationBenchmark} writes (any JAR whose plan delegates to logistic regression).
 */
public final class PlanWorkerCallBenchmark {
  private PlanWorkerCallBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rows = 455;
    int cols = 30;
    Random random = new Random(1);
    float[] x = new float[rows * cols];
    int[] y = new int[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = i % 2;
    }
    Dataset data = new Dataset(x, y, rows, cols);
    TrainingPlan local = new LogisticRegressionPlan();
    TrainingArgs targs = TrainingArgs.defaults();
    Parameters global = local.initialize(DataSummary.of(data), targs);
    for (PlanIsolation.Level level :
        new PlanIsolation.Level[] {PlanIsolation.Level.PROCESS, PlanIsolation.Level.SANDBOX}) {
      try (PlanWorkers workers =
          new PlanWorkers(
              PlanIsolation.of(level, 512, Duration.ofSeconds(60)),
              Files.createTempDirectory("fedlink-bench-workers-"))) {
        TrainingPlan remote = workers.plan("run", "bench", jar, "bench plan", "bench node");
        for (String kind : new String[] {"train", "evaluate"}) {
          time(remote, global, data, targs, kind, calls); // warm-up of both sides
          time(local, global, data, targs, kind, calls);
          double worker = time(remote, global, data, targs, kind, calls);
          double inProcess = time(local, global, data, targs, kind, calls);
          System.out.printf(
              Locale.ROOT,
              "%-7s %-8s: worker %.3f ms, in-process %.3f ms, overhead %.3f ms per call%n",
              level.word(),
              kind,
              worker,
              inProcess,
              worker - inProcess);
        }
      }
    }
  }

  /** Median milliseconds of {@code calls} calls. */
  private static double time(
      TrainingPlan plan, Parameters g, Dataset d, TrainingArgs a, String kind, int calls) {
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      if (kind.equals("train")) {
        plan.train(g, d, a);
      } else {
        plan.evaluate(g, d);
      }
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos[calls / 2] / 1e6;
  }
}
