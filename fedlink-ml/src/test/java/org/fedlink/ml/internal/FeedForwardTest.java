package org.fedlink.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LogisticRegressionPlan;
import org.fedlink.ml.MlpPlan;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.junit.jupiter.api.Test;

class FeedForwardTest {
  private static final Dataset DATA = randomData(12, 5, 3, 7);

  @Test
  void logisticRegressionGradientMatchesFiniteDifferences() {
    checkGradient(new LogisticRegressionPlan(), new int[0]);
  }

  @Test
  void mlpGradientMatchesFiniteDifferences() {
    checkGradient(new MlpPlan(), new int[] {6, 4});
  }

  @Test
  void roundTripsThroughParametersKeepingNormBitForBit() {
    Parameters p =
        new MlpPlan().initialize(DataSummary.of(DATA), TrainingArgs.defaults().withSeed(3));
    Parameters back = NetworkParameters.write(NetworkParameters.read(p));
    assertThat(back).isEqualTo(p);
    assertThat(back.tensors())
        .extracting(Tensor::name)
        .containsExactly(
            "norm.mean",
            "norm.scale",
            "layer0.weight",
            "layer0.bias",
            "layer1.weight",
            "layer1.bias");
    assertThat(back.get("layer0.weight").shape()).containsExactly(64, 5);
    assertThat(back.get("layer1.weight").shape()).containsExactly(3, 64);
  }

  @Test
  void rejectsParametersWithoutLayers() {
    Parameters p = new LogisticRegressionPlan().initialize(DataSummary.of(DATA), args());
    Parameters normOnly = Parameters.of(p.get("norm.mean"), p.get("norm.scale"));
    assertThatThrownBy(() -> NetworkParameters.read(normOnly))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("no tensor named layer0.weight");
  }

  @Test
  void rejectsMisShapedLayer() {
    Parameters p = new LogisticRegressionPlan().initialize(DataSummary.of(DATA), args());
    Parameters bad =
        Parameters.of(
            p.get("norm.mean"),
            p.get("norm.scale"),
            new Tensor("layer0.weight", new int[] {3, 4}, new float[12]),
            p.get("layer0.bias"));
    assertThatThrownBy(() -> NetworkParameters.read(bad))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("layer 0 has weight [3, 4]")
        .hasMessageContaining("input 5");
  }

  private static void checkGradient(TrainingPlan plan, int[] hidden) {
    TrainingArgs args = args().withSeed(11);
    args = new TrainingArgs(1, 4, 0.1, "sgd", 0.0, 0.0, 11, hidden);
    FeedForward net = NetworkParameters.read(plan.initialize(DataSummary.of(DATA), args));
    double[] theta = net.theta();
    Random r = new Random(5);
    for (int i = 0; i < theta.length; i++) {
      theta[i] +=
          0.3 * r.nextGaussian(); // move away from the all-zero start of logistic regression
    }
    double[] grad = new double[theta.length];
    lossAndGradient(net, grad);
    double eps = 1e-6;
    double worst = 0;
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + eps;
      double up = lossAndGradient(net, new double[theta.length]);
      theta[i] = saved - eps;
      double down = lossAndGradient(net, new double[theta.length]);
      theta[i] = saved;
      double numeric = (up - down) / (2 * eps);
      double err =
          Math.abs(numeric - grad[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i]));
      worst = Math.max(worst, err);
    }
    assertThat(worst).isLessThan(1e-5);
    double largest = 0;
    for (double g : grad) {
      largest = Math.max(largest, Math.abs(g));
    }
    assertThat(largest).as("gradient is not trivially zero").isGreaterThan(1e-3);
  }

  private static double lossAndGradient(FeedForward net, double[] grad) {
    double loss = 0;
    for (int r = 0; r < DATA.rows(); r++) {
      loss += net.accumulate(DATA.x(), r, DATA.y()[r], grad);
    }
    return loss;
  }

  private static TrainingArgs args() {
    return TrainingArgs.defaults();
  }

  private static Dataset randomData(int rows, int cols, int classes, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * cols];
    int[] y = new int[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * 5 + 2);
    }
    for (int i = 0; i < rows; i++) {
      y[i] = i % classes;
    }
    return new Dataset(x, y, rows, cols);
  }
}
