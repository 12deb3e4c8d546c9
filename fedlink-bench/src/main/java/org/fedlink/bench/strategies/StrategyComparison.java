package org.fedlink.bench.strategies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.DemoDefaults;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.strategies.CoordinateMedian;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.FedProx;
import org.fedlink.researcher.strategies.Krum;
import org.fedlink.researcher.strategies.Scaffold;
import org.fedlink.researcher.strategies.ServerOptimizer;
import org.fedlink.researcher.strategies.TrimmedMean;
import org.fedlink.testing.TestFederation;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every strategy side by side on very non-IID data: the digits data set (MLP, the demo's local
 * training arguments), 20 % held out for testing, the rest split Dirichlet(alpha) over N in-process
 * SuperNodes over loopback TLS; R rounds of each strategy from the same initial model. Prints a
 * Markdown table (final and best validation accuracy, accuracy on the held-out test rows, epsilon
 * for the DP rows, seconds) and writes {@code strategies.csv} and {@code strategies.png}
 * (validation accuracy per round) to the output folder.
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.strategies.StrategyComparison [out=strategy-comparison] [nodes=10] [rounds=30]
 * [alpha=0.1] [only=comma-separated strategy labels]}
 */
public final class StrategyComparison {
  private StrategyComparison() {}

  record Row(String label, ExperimentResult result, Metrics test, double seconds) {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "strategy-comparison");
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    double alpha = args.length > 3 ? Double.parseDouble(args[3]) : 0.1;
    List<String> only = args.length > 4 ? List.of(args[4].split(",")) : List.of();
    Files.createDirectories(out);
    TrainingArgs targs = DemoDefaults.digits().args();
    Map<String, UnaryOperator<Experiment.Builder>> runs = new LinkedHashMap<>();
    runs.put("fedavg", b -> b.strategy(new FedAvg()));
    runs.put("fedprox (mu 0.01)", b -> b.strategy(new FedProx(0.01)));
    runs.put("fedavg, fraction 0.5", b -> b.strategy(new FedAvg()).fraction(0.5).minNodes(5));
    runs.put("fedavgm (lr 1, momentum 0.5)", b -> b.strategy(ServerOptimizer.fedAvgM(1.0, 0.5)));
    runs.put(
        "fedadagrad (lr 0.03, tau 1e-3)",
        b -> b.strategy(ServerOptimizer.fedAdagrad(0.03, 0.9, 1e-3)));
    runs.put(
        "fedadam (lr 0.01, tau 1e-3)",
        b -> b.strategy(ServerOptimizer.fedAdam(0.01, 0.9, 0.99, 1e-3)));
    runs.put(
        "fedyogi (lr 0.01, tau 1e-3)",
        b -> b.strategy(ServerOptimizer.fedYogi(0.01, 0.9, 0.99, 1e-3)));
    runs.put("scaffold", b -> b.strategy(new Scaffold(1.0, 1.0)));
    runs.put("median", b -> b.strategy(new CoordinateMedian()));
    runs.put("trimmed-mean (beta 0.1)", b -> b.strategy(new TrimmedMean(0.1)));
    runs.put("krum (f 1)", b -> b.strategy(new Krum(1, 1)));
    runs.put("multi-krum (f 1, m 5)", b -> b.strategy(new Krum(1, 5)));
    runs.put(
        "fedavg + central DP (sigma 0.3, C 2)",
        b ->
            b.strategy(new FedAvg())
                .differentialPrivacy(
                    new DifferentialPrivacy(
                        DifferentialPrivacy.Mode.CENTRAL,
                        0.3,
                        2.0,
                        false,
                        1e-5,
                        Double.POSITIVE_INFINITY)));
    runs.put(
        "fedavg + central DP (sigma 1, C 2, fraction 0.5)",
        b ->
            b.strategy(new FedAvg())
                .fraction(0.5)
                .minNodes(5)
                .differentialPrivacy(
                    new DifferentialPrivacy(
                        DifferentialPrivacy.Mode.CENTRAL,
                        1.0,
                        2.0,
                        false,
                        1e-5,
                        Double.POSITIVE_INFINITY)));
    Path dir = Files.createTempDirectory("fedlink-strategies-");
    List<Row> rows = new ArrayList<>();
    try (TestFederation f =
        TestFederation.builder(dir)
            .dataset(BundledDatasets.DIGITS)
            .nodes(nodes)
            .alpha(alpha)
            .heartbeat(Duration.ofSeconds(1))
            .start()) {
      f.awaitOnline(nodes, Duration.ofSeconds(120));
      for (Map.Entry<String, UnaryOperator<Experiment.Builder>> run : runs.entrySet()) {
        String label = run.getKey();
        if (!only.isEmpty() && only.stream().noneMatch(label::startsWith)) {
          continue;
        }
        long start = System.nanoTime();
        Experiment.Builder b =
            f.experiment()
                .plan(DemoDefaults.digits().planId())
                .rounds(rounds)
                .trainingArgs(targs)
                .roundTimeout(Duration.ofMinutes(5));
        ExperimentResult r = run.getValue().apply(b).build().run();
        Metrics test =
            BuiltinPlans.get(DemoDefaults.digits().planId()).evaluate(r.model(), f.testData());
        double seconds = (System.nanoTime() - start) / 1e9;
        rows.add(new Row(label, r, test, seconds));
        System.out.printf(
            Locale.ROOT, "%s: test accuracy %.4f (%.0f s)%n", label, test.accuracy(), seconds);
      }
    }
    String table = table(rows, nodes, rounds, alpha);
    System.out.println();
    System.out.println(table);
    Files.writeString(out.resolve("strategies.md"), table);
    writeCsv(rows, out.resolve("strategies.csv"));
    plot(rows, out.resolve("strategies.png"), nodes, rounds, alpha);
    System.out.println("wrote " + out.toAbsolutePath() + "/strategies.{md,csv,png}");
  }

  static String table(List<Row> rows, int nodes, int rounds, double alpha) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "digits, MLP, Dirichlet(%s) over %d nodes, %d rounds%n%n",
            alpha,
            nodes,
            rounds));
    s.append(
        "| strategy | val. accuracy, last round | best round | test accuracy | epsilon | s |\n");
    s.append("|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      RoundMetrics last = r.result().last();
      double best =
          r.result().history().stream().mapToDouble(RoundMetrics::valAccuracy).max().orElse(0);
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.4f | %.4f | %.4f | %s | %.0f |%n",
              r.label(),
              last.valAccuracy(),
              best,
              r.test().accuracy(),
              last.hasEpsilon() ? String.format(Locale.ROOT, "%.2f", last.epsilon()) : "-",
              r.seconds()));
    }
    return s.toString();
  }

  static void writeCsv(List<Row> rows, Path file) throws IOException {
    StringBuilder s = new StringBuilder("strategy,round,val_accuracy,val_loss,epsilon\n");
    for (Row r : rows) {
      for (RoundMetrics m : r.result().history()) {
        s.append(
            String.format(
                Locale.ROOT,
                "\"%s\",%d,%.6f,%.6f,%s%n",
                r.label(),
                m.round(),
                m.valAccuracy(),
                m.valLoss(),
                m.hasEpsilon() ? String.format(Locale.ROOT, "%.6f", m.epsilon()) : ""));
      }
    }
    Files.writeString(file, s);
  }

  static void plot(List<Row> rows, Path png, int nodes, int rounds, double alpha)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(600)
            .title(
                String.format(
                    Locale.ROOT,
                    "digits, Dirichlet(%s) over %d nodes: validation accuracy per round",
                    alpha,
                    nodes))
            .xAxisTitle("round")
            .yAxisTitle("validation accuracy")
            .build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setChartPadding(20);
    for (Row r : rows) {
      double[] x = r.result().history().stream().mapToDouble(RoundMetrics::round).toArray();
      double[] y = r.result().history().stream().mapToDouble(RoundMetrics::valAccuracy).toArray();
      chart.addSeries(r.label(), x, y).setMarker(SeriesMarkers.NONE);
    }
    String base = png.toString().substring(0, png.toString().length() - 4);
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }
}
