package org.fedlink.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DirichletTest {

  @Test
  void gammaHasMeanAndVarianceEqualToItsShape() {
    Random random = new Random(1);
    for (double shape : new double[] {0.3, 1, 4.5}) {
      int n = 40_000;
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double g = Dirichlet.gamma(shape, random);
        assertThat(g).isGreaterThanOrEqualTo(0);
        sum += g;
        sq += g * g;
      }
      double mean = sum / n;
      assertThat(mean).isCloseTo(shape, within(0.05 * shape + 0.01));
      assertThat(sq / n - mean * mean).isCloseTo(shape, within(0.1 * shape + 0.02));
    }
  }

  @Test
  void samplesAreProportionsEvenWhenAlphaUnderflows() {
    Random random = new Random(2);
    double[] p = new double[5];
    for (double alpha : new double[] {1e-4, 0.5, 50}) {
      Dirichlet.sample(alpha, random, p);
      double sum = 0;
      for (double v : p) {
        assertThat(v).isBetween(0.0, 1.0);
        sum += v;
      }
      assertThat(sum).isCloseTo(1.0, within(1e-12));
    }
  }
}
