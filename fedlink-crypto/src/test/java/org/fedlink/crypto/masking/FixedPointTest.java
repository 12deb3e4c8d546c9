package org.fedlink.crypto.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedPointTest {
  @Test
  void choosesThirtyTwoBitLanesWhenTheSumFits() {
    assertThat(FixedPoint.of(3.0, 12, 1000, 10).laneBits()).isEqualTo(32);
    assertThat(FixedPoint.of(3.0, 16, (1L << 20) - 1, 3).laneBits()).isEqualTo(64);
    assertThatThrownBy(() -> FixedPoint.of(3.0, 32, Long.MAX_VALUE, 100))
        .hasMessageContaining("at most 64 fit");
  }

  @Test
  void weightedMeanOfEncodingsIsWithinTheStatedBound() {
    Random r = new Random(3);
    for (int lanes : new int[] {32, 64}) {
      FixedPoint f = new FixedPoint(2.0, lanes == 32 ? 12 : 16, 500, lanes);
      int n = 1001;
      float[][] values = new float[5][n];
      long[] weights = {1, 500, 37, 250, 0};
      RingVector sum = new RingVector(n, lanes);
      long total = 0;
      for (int p = 0; p < 5; p++) {
        for (int i = 0; i < n; i++) {
          values[p][i] = (float) (r.nextGaussian() * 1.5);
        }
        sum.add(f.encode(values[p], weights[p]));
        total += weights[p];
      }
      float[] mean = f.decodeMean(sum, total);
      for (int i = 0; i < n; i++) {
        double exact = 0;
        for (int p = 0; p < 5; p++) {
          exact += Math.max(-2.0, Math.min(2.0, values[p][i])) * weights[p];
        }
        exact /= total;
        assertThat(Math.abs(mean[i] - exact)).isLessThanOrEqualTo(f.bound() + 1e-6);
      }
    }
  }

  @Test
  void encodingAndMaskingInOnePassEqualsEncodingThenMasking() throws Exception {
    Random r = new Random(9);
    for (int lanes : new int[] {32, 64}) {
      int n = 2 * MaskPrg.WORDS_PER_BLOCK + 3; // several blocks; odd, so a half-used last word
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) r.nextGaussian();
      }
      v[5] = Float.NaN;
      FixedPoint f = new FixedPoint(2.0, 12, 50, lanes);
      byte[] k = new byte[32];
      r.nextBytes(k);
      java.util.List<MaskKey> keys =
          java.util.List.of(
              MaskKey.raw(java.util.Arrays.copyOf(k, MaskKey.KEY_BYTES), false),
              MaskKey.derive(k, "x", true));
      RingVector twoPass = f.encode(v, 7);
      assertThat(twoPass.signed(5)).isZero();
      MaskPrg.apply(keys, twoPass);
      assertThat(f.encodeMasked(v, 7, keys)).isEqualTo(twoPass);
    }
  }

  @Test
  void refusesAWeightAboveTheAgreedMaximum() {
    FixedPoint f = new FixedPoint(1.0, 8, 10, 32);
    assertThatThrownBy(() -> f.encode(new float[3], 11)).hasMessageContaining("weight 11");
  }
}
