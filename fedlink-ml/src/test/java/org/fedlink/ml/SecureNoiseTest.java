package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SecureNoiseTest {

  @Test
  void gaussiansHaveMeanZeroAndUnitVarianceAndUniformBitsAreBalanced() {
    SecureNoise n = new SecureNoise();
    int count = 400_000; // crosses several 64 KiB keystream buffers
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < count; i++) {
      double g = n.nextGaussian();
      sum += g;
      sq += g * g;
    }
    assertThat(sum / count).isCloseTo(0, within(0.01));
    assertThat(sq / count).isCloseTo(1, within(0.01));
    long ones = 0;
    for (int i = 0; i < 100_000; i++) {
      ones += Long.bitCount(n.nextLong());
    }
    assertThat(ones / (64.0 * 100_000)).isCloseTo(0.5, within(0.002));
  }

  @Test
  void twoGeneratorsDrawDifferentStreams() {
    assertThat(new SecureNoise().nextLong()).isNotEqualTo(new SecureNoise().nextLong());
  }
}
