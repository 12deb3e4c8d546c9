package org.fedlink.researcher.output;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.researcher.RoundMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws validation loss and accuracy per round into a PNG (headless). */
public final class MetricsPlot {
  private MetricsPlot() {}

  /**
   * A tick-label pattern for the loss axis with as many decimals as its range needs (ticks about an
   * eighth of the range apart): plain decimals, never scientific notation, and distinct labels even
   * when the loss barely changes. Non-finite values are ignored.
   */
  static String lossPattern(double[]... series) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] values : series) {
      for (double v : values) {
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    int decimals = 3;
    if (max > min) {
      decimals = (int) Math.ceil(-Math.log10((max - min) / 8));
      decimals = Math.max(1, Math.min(8, decimals));
    }
    return "0.0" + "#".repeat(decimals - 1);
  }

  /** Writes the plot of {@code history} to {@code png}. */
  public static void write(List<RoundMetrics> history, Path png) {
    System.setProperty("java.awt.headless", "true");
    int n = history.size();
    double[] x = new double[n];
    double[] loss = new double[n];
    double[] trainLoss = new double[n];
    double[] acc = new double[n];
    for (int i = 0; i < n; i++) {
      RoundMetrics m = history.get(i);
      x[i] = m.round();
      loss[i] = m.valLoss();
      trainLoss[i] = m.trainLoss();
      acc[i] = m.valAccuracy();
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("Federated training")
            .xAxisTitle("round")
            .yAxisTitle("loss")
            .build();
    chart.setYAxisGroupTitle(1, "validation accuracy");
    // Room around the plot and plain tick labels: with the defaults the loss labels were cut at the
    // left (".08" for 0.08) or turned scientific ("6.9314E-1") when the loss barely changed.
    chart.getStyler().setChartPadding(20);
    chart.getStyler().setAxisTitlePadding(10);
    chart.getStyler().putYAxisGroupDecimalPatternMap(0, lossPattern(trainLoss, loss));
    chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0.0");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setYAxisMin(1, 0.0);
    chart.getStyler().setYAxisMax(1, 1.0);
    chart.addSeries("train loss", x, trainLoss).setMarker(SeriesMarkers.NONE);
    chart.addSeries("validation loss", x, loss).setMarker(SeriesMarkers.NONE);
    XYSeries a = chart.addSeries("validation accuracy", x, acc);
    a.setYAxisGroup(1);
    a.setMarker(SeriesMarkers.CIRCLE);
    if (history.stream().anyMatch(RoundMetrics::hasEpsilon)) {
      // Differential privacy: the epsilon spent so far, on its own axis.
      double[] eps = history.stream().mapToDouble(RoundMetrics::epsilon).toArray();
      chart.setYAxisGroupTitle(2, "epsilon (DP)");
      chart.getStyler().setYAxisGroupPosition(2, Styler.YAxisPosition.Right);
      chart.getStyler().putYAxisGroupDecimalPatternMap(2, "0.00");
      chart.getStyler().setYAxisMin(2, 0.0);
      XYSeries e = chart.addSeries("epsilon", x, eps);
      e.setYAxisGroup(2);
      e.setMarker(SeriesMarkers.DIAMOND);
    }
    try {
      String base = png.toString();
      if (base.endsWith(".png")) {
        base = base.substring(0, base.length() - 4);
      }
      BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot write plot " + png + ": " + e, e);
    }
  }
}
