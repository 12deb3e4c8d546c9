package org.fedlink.bench.simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.simulation.Simulation;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The simulation page's figure: validation accuracy per round of the same experiment on 100 virtual
 * nodes holding the digits data split IID and split by Dirichlet(0.1) over labels.
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.simulation.PartitionAccuracyPlot
 * [out=docs/images/simulation-iid-vs-dirichlet.png] [nodes=100] [rounds=30] [fraction=0.2]}
 */
public final class PartitionAccuracyPlot {
  private PartitionAccuracyPlot() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/images/simulation-iid-vs-dirichlet.png");
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    double fraction = args.length > 3 ? Double.parseDouble(args[3]) : 0.2;
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(450)
            .title(
                String.format(
                    Locale.ROOT,
                    "digits, %d virtual nodes, %.0f%% sampled per round, logistic regression",
                    nodes,
                    fraction * 100))
            .xAxisTitle("round")
            .yAxisTitle("validation accuracy")
            .build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setChartPadding(20);
    for (String partition : List.of("iid", "dirichlet:0.1")) {
      Path dir = Files.createTempDirectory("fedlink-plot-");
      ExperimentResult r =
          Simulation.builder()
              .nodes(nodes)
              .dataset("digits")
              .partition(partition)
              .seed(42)
              .experiment(
                  Experiment.builder()
                      .rounds(rounds)
                      .fraction(fraction)
                      .outputDir(dir.resolve("out")))
              .build()
              .run();
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (RoundMetrics m : r.history()) {
        x.add((double) m.round());
        y.add(m.valAccuracy());
      }
      chart.addSeries(partition, x, y).setMarker(SeriesMarkers.NONE);
      System.out.printf(
          Locale.ROOT, "%s: final validation accuracy %.4f%n", partition, r.last().valAccuracy());
    }
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
    System.out.println("wrote " + out);
  }
}
