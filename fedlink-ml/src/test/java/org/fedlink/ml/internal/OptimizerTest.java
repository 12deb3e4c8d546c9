package org.fedlink.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.fedlink.ml.TrainingArgs;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  @Test
  void momentumAccumulatesVelocity() {
    Optimizer sgd = Optimizer.of(new TrainingArgs(1, 1, 0.1, "sgd", 0.5, 0, 1, null), 1);
    double[] theta = {1};
    sgd.step(theta, new double[] {2});
    assertThat(theta[0]).isCloseTo(0.8, within(1e-12));
    sgd.step(theta, new double[] {2});
    assertThat(theta[0]).isCloseTo(0.8 - 0.1 * 3, within(1e-12));
  }

  @Test
  void adamFirstStepMovesEachValueByTheLearningRate() {
    Optimizer adam = Optimizer.of(new TrainingArgs(1, 1, 0.01, "adam", 0, 0, 1, null), 3);
    double[] theta = {0, 0, 0};
    adam.step(theta, new double[] {1000, -0.001, 0});
    assertThat(theta[0]).isCloseTo(-0.01, within(1e-9));
    assertThat(theta[1]).isCloseTo(0.01, within(1e-6));
    assertThat(theta[2]).isZero();
  }

  @Test
  void minimizesAQuadratic() {
    for (String name : new String[] {"sgd", "adam"}) {
      Optimizer o = Optimizer.of(new TrainingArgs(1, 1, 0.05, name, 0.9, 0, 1, null), 2);
      double[] theta = {3, -2};
      for (int i = 0; i < 2000; i++) {
        o.step(theta, new double[] {2 * (theta[0] - 1), 2 * (theta[1] + 1)});
      }
      assertThat(theta[0]).as(name).isCloseTo(1, within(1e-3));
      assertThat(theta[1]).as(name).isCloseTo(-1, within(1e-3));
    }
  }
}
