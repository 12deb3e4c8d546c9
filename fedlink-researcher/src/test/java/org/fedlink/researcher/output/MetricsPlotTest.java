package org.fedlink.researcher.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.fedlink.researcher.RoundMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotTest {
  @TempDir Path dir;

  @Test
  void lossLabelsGetAsManyDecimalsAsTheRangeNeeds() {
    assertThat(MetricsPlot.lossPattern(new double[] {0.3283, 0.0768})).isEqualTo("0.0#");
    assertThat(MetricsPlot.lossPattern(new double[] {0.69317}, new double[] {0.69307}))
        .isEqualTo("0.0####");
    assertThat(MetricsPlot.lossPattern(new double[] {2.3, 0.4})).isEqualTo("0.0");
  }

  @Test
  void aConstantOrMissingLossStillGetsPlainLabels() {
    assertThat(MetricsPlot.lossPattern(new double[] {0.5, 0.5})).isEqualTo("0.0##");
    assertThat(MetricsPlot.lossPattern(new double[] {Double.NaN})).isEqualTo("0.0##");
    assertThat(MetricsPlot.lossPattern(new double[] {Double.NaN, 0.2, 0.1})).isEqualTo("0.0#");
  }

  @Test
  void axisLabelsKeepClearOfTheImageEdges() throws IOException {
    List<RoundMetrics> history = new ArrayList<>();
    double[] train = {0.3283, 0.1224, 0.0934, 0.0812, 0.0799, 0.0731, 0.0702, 0.0689};
    double[] val = {0.0878, 0.0833, 0.0801, 0.0799, 0.0788, 0.0777, 0.0770, 0.0768};
    for (int r = 1; r <= train.length; r++) {
      history.add(new RoundMetrics(r, 2, train[r - 1], val[r - 1], 0.99, 0.4, List.of()));
    }
    Path png = dir.resolve("metrics.png");

    MetricsPlot.write(history, png);

    BufferedImage image = ImageIO.read(png.toFile());
    int background = image.getRGB(0, 0);
    int first = image.getWidth();
    int last = -1;
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if (image.getRGB(x, y) != background) {
          first = Math.min(first, x);
          last = x;
          break;
        }
      }
    }
    assertThat(first).as("first drawn column (left margin)").isGreaterThanOrEqualTo(15);
    assertThat(last).as("last drawn column").isLessThan(image.getWidth() - 3);
  }
}
