package org.fedlink.researcher.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedAverageTest {

  /** The weighted mean computed in double precision. */
  private static double[] reference(float[][] updates, double[] weights) {
    double total = Arrays.stream(weights).sum();
    double[] out = new double[updates[0].length];
    for (int k = 0; k < updates.length; k++) {
      for (int i = 0; i < out.length; i++) {
        out[i] += weights[k] * updates[k][i] / total;
      }
    }
    return out;
  }

  private static float[][] randomUpdates(Random rnd, int k, int n, float scale) {
    float[][] u = new float[k][n];
    for (float[] row : u) {
      for (int i = 0; i < n; i++) {
        row[i] = (float) (rnd.nextGaussian() * scale);
      }
    }
    return u;
  }

  @Test
  void matchesADoublePrecisionReferenceOnSeededRandomData() {
    Random rnd = new Random(1234);
    for (int trial = 0; trial < 300; trial++) {
      int k = 1 + rnd.nextInt(12);
      int n = rnd.nextInt(300);
      float scale = (float) Math.pow(10, rnd.nextInt(7) - 3);
      float[][] updates = randomUpdates(rnd, k, n, scale);
      double[] weights = new double[k];
      for (int j = 0; j < k; j++) {
        weights[j] = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(100_000);
      }
      weights[rnd.nextInt(k)] += 1;
      float[] out = new float[n];
      Arrays.fill(out, Float.NaN);

      WeightedAverage.into(out, updates, weights);

      double[] ref = reference(updates, weights);
      double worst = 0;
      for (int i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(out[i] - ref[i]));
      }
      // Float arithmetic: a few ulps of the largest magnitude, per update summed.
      assertThat(worst).as("trial %d, k=%d, n=%d", trial, k, n).isLessThan(8e-6 * k * scale);
    }
  }

  @Test
  void weightsOnlyMatterRelatively() {
    Random rnd = new Random(99);
    float[][] updates = randomUpdates(rnd, 4, 50, 1);
    float[] a = new float[50];
    float[] b = new float[50];

    WeightedAverage.into(a, updates, new double[] {1, 2, 3, 4});
    WeightedAverage.into(b, updates, new double[] {1000, 2000, 3000, 4000});

    for (int i = 0; i < 50; i++) {
      assertThat(b[i]).isCloseTo(a[i], within(1e-6f));
    }
  }

  @Test
  void computesAHandCheckedExample() {
    float[] out = new float[2];

    WeightedAverage.into(out, new float[][] {{1, -4}, {2, 0}, {4, 8}}, new double[] {1, 1, 2});

    // (1*1 + 1*2 + 2*4) / 4 = 2.75 and (1*-4 + 0 + 2*8) / 4 = 3
    assertThat(out).containsExactly(2.75f, 3f);
  }

  @Test
  void aSingleUpdateIsCopiedExactly() {
    float[] u = {1.1f, -7.3e-12f, 3.4e30f, Float.MIN_VALUE};
    float[] out = new float[4];

    WeightedAverage.into(out, new float[][] {u}, new double[] {17});

    assertThat(out).containsExactly(u);
  }

  @Test
  void zeroWeightUpdatesDoNotContribute() {
    float[] out = new float[2];

    WeightedAverage.into(out, new float[][] {{1, 2}, {1000, -1000}}, new double[] {5, 0});

    assertThat(out).containsExactly(1f, 2f);
  }

  @Test
  void emptyArraysAreFine() {
    float[] out = new float[0];

    WeightedAverage.into(out, new float[][] {{}, {}}, new double[] {1, 1});

    assertThat(out).isEmpty();
  }

  @Test
  void rejectsCountMismatch() {
    assertThatThrownBy(
            () -> WeightedAverage.into(new float[1], new float[][] {{1}, {2}}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 updates but 1 weights");
    assertThatThrownBy(() -> WeightedAverage.into(new float[1], new float[0][], new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("0 updates but 0 weights");
  }

  @Test
  void rejectsNegativeAndNanWeights() {
    float[][] u = {{1}, {2}};

    assertThatThrownBy(() -> WeightedAverage.into(new float[1], u, new double[] {1, -1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight -1.0");
    assertThatThrownBy(() -> WeightedAverage.into(new float[1], u, new double[] {Double.NaN, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight NaN");
  }

  @Test
  void rejectsInfiniteWeightsInsteadOfAveragingToNan() {
    float[][] u = {{1}, {2}};
    double inf = Double.POSITIVE_INFINITY;

    assertThatThrownBy(() -> WeightedAverage.into(new float[1], u, new double[] {inf, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Infinity");
  }

  @Test
  void rejectsWeightsWhoseSumOverflows() {
    float[][] u = {{1}, {2}};

    assertThatThrownBy(
            () ->
                WeightedAverage.into(
                    new float[1], u, new double[] {Double.MAX_VALUE, Double.MAX_VALUE}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWeightsSummingToZero() {
    assertThatThrownBy(
            () -> WeightedAverage.into(new float[1], new float[][] {{1}, {2}}, new double[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sum to zero");
  }

  @Test
  void rejectsUpdatesOfAnotherLength() {
    assertThatThrownBy(
            () ->
                WeightedAverage.into(
                    new float[3], new float[][] {{1, 2, 3}, {1, 2}}, new double[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("update of length 2, expected 3");
  }
}
