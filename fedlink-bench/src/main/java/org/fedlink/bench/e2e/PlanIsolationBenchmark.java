package org.fedlink.bench.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.testing.TestFederation;

/**
 * What running a researcher's JAR plan in a worker costs per round: the same experiment (a JAR plan
 * delegating to logistic regression on breast-cancer, N nodes over loopback TLS in this JVM) with
 * {@code plan_isolation = none} (in the node), {@code process} and {@code sandbox}. Prints, per
 * level, the first round of one run and the median of its rounds after the warm-up rounds (the same
 * run, so the workers' JIT is as warm as the node's; a run's workers start when its plan arrives,
 * before round 1).
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.e2e.PlanIsolationBenchmark [nodes=3] [rounds=30] [warmupRounds=30]
 * [none|process|sandbox]}; give a level to measure it alone in this JVM.
 */
public final class PlanIsolationBenchmark {
  private PlanIsolationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path dir = Files.createTempDirectory("fedlink-bench-isolation-");
    Path jar = planJar(dir);
    // One level per JVM compares like with like: the node's own JIT warm-up weighs on whichever
    // level runs first in a JVM.
    PlanIsolation.Level[] levels =
        args.length > 3
            ? new PlanIsolation.Level[] {PlanIsolation.Level.valueOf(args[3].toUpperCase())}
            : new PlanIsolation.Level[] {
              PlanIsolation.Level.NONE, PlanIsolation.Level.PROCESS, PlanIsolation.Level.SANDBOX
            };
    for (PlanIsolation.Level level : levels) {
      try (TestFederation f =
          TestFederation.builder(dir.resolve(level.word()))
              .nodes(nodes)
              .alpha(100)
              .heartbeat(Duration.ofSeconds(1))
              .nodeSettings(
                  (i, node) ->
                      node.planPolicy(new PlanPolicy(true, false, HashingAlgorithm.SHA256))
                          .planIsolation(PlanIsolation.of(level, 512, Duration.ofSeconds(120))))
              .start()) {
        f.awaitOnline(nodes, Duration.ofSeconds(60));
        TrainingArgs targs = TrainingArgs.defaults();
        // One run: its workers stay warm across its rounds, as a real run's do.
        ExperimentResult r =
            f.experiment().planJar(jar).rounds(warmup + rounds).trainingArgs(targs).build().run();
        double first = r.history().get(0).seconds() * 1000;
        double[] later =
            r.history().stream()
                .skip(warmup)
                .mapToDouble(m -> m.seconds() * 1000)
                .sorted()
                .toArray();
        System.out.printf(
            Locale.ROOT,
            "plan_isolation=%-7s nodes=%d: first round %.1f ms; rounds after %d warm-up rounds:"
                + " median %.1f ms, p10 %.1f, p90 %.1f; final val accuracy %.4f%n",
            level.word(),
            nodes,
            first,
            warmup,
            percentile(later, 50),
            percentile(later, 10),
            percentile(later, 90),
            r.last().valAccuracy());
        System.out.println(
            "  measured rounds (ms): "
                + Arrays.toString(
                    r.history().stream()
                        .skip(warmup)
                        .mapToLong(m -> Math.round(m.seconds() * 1000))
                        .toArray()));
      }
    }
  }

  /** A plan JAR delegating to the built-in logistic regression, compiled here. */
  private static Path planJar(Path dir) throws IOException {
    String source =
        "package bench;\n"
            + "import org.fedlink.core.Parameters;\n"
            + "import org.fedlink.ml.*;\n"
            + "public final class Plan implements TrainingPlan {\n"
            + "  private final TrainingPlan inner = new LogisticRegressionPlan();\n"
            + "  public String id() { return \"bench\"; }\n"
            + "  public Parameters initialize(DataSummary s, TrainingArgs a) {\n"
            + "    return inner.initialize(s, a); }\n"
            + "  public LocalUpdate train(Parameters g, Dataset d, TrainingArgs a) {\n"
            + "    return inner.train(g, d, a); }\n"
            + "  public Metrics evaluate(Parameters p, Dataset d) { return inner.evaluate(p, d); }\n"
            + "}\n";
    Path src = dir.resolve("src/bench/Plan.java");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, source);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                src.toString());
    if (rc != 0) {
      throw new IllegalStateException("javac failed with " + rc);
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Fedlink-Training-Plan", "bench.Plan");
    Path jar = dir.resolve("bench-plan.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("bench/Plan.class"));
      out.write(Files.readAllBytes(classes.resolve("bench/Plan.class")));
      out.closeEntry();
    }
    return jar;
  }

  private static double percentile(double[] sorted, int p) {
    double pos = (sorted.length - 1) * p / 100.0;
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
