package org.fedlink.crypto.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedPointTest {
  @Test
  void weightsFoldedIntoTheValueKeepThirtyTwoBitLanesWhateverTheExampleCounts() {
    // 16 value bits, 100 parties, weights up to 2^20: the weight costs no lane bits.
    assertThat(FixedPoint.of(3.0, 16, 1L << 20, 1L << 19, 100).laneBits()).isEqualTo(32);
    assertThat(FixedPoint.of(3.0, 16, 1024, 50 * 200, 100).laneBits()).isEqualTo(32);
    // When the largest weight may be just over half the unit (the unit is rounded up to a power of
    // two), 32-bit lanes promise 16 bits' precision up to 180 parties, not 200.
    assertThat(FixedPoint.of(3.0, 16, 1024, 513, 180).laneBits()).isEqualTo(32);
    assertThat(FixedPoint.of(3.0, 16, 1024, 513, 200).laneBits()).isEqualTo(64);
    // Nothing known of the weights (total only >= 1): the precision needs 64-bit lanes.
    assertThat(FixedPoint.of(3.0, 16, (1L << 20) - 1, 1, 3).laneBits()).isEqualTo(64);
    assertThatThrownBy(() -> FixedPoint.of(3.0, 32, Long.MAX_VALUE / 2, 1, 100))
        .hasMessageContaining("does not fit 64-bit lanes");
  }

  @Test
  void thePromiseOfOfHoldsForEveryTotalAtLeastTheMinimum() {
    Random r = new Random(5);
    for (int i = 0; i < 2_000; i++) {
      int bits = 2 + r.nextInt(31);
      int parties = 1 + r.nextInt(1000);
      long unit = 1 + (r.nextLong() >>> (20 + r.nextInt(44)));
      long minTotal = 1 + (r.nextLong() >>> (20 + r.nextInt(44)));
      FixedPoint f;
      try {
        f = FixedPoint.of(1.0, bits, unit, minTotal, parties);
      } catch (IllegalArgumentException e) {
        continue;
      }
      double promised = 1.0 / ((1L << (bits - 1)) - 1) / 2;
      assertThat(f.bound(minTotal)).isLessThanOrEqualTo(promised * (1 + 1e-12));
      // n lanes of at most 2S sum below 2^lane (2^63 for 64-bit lanes), exactly.
      BigInteger top = BigInteger.ONE.shiftLeft(Math.min(63, f.laneBits()));
      assertThat(BigInteger.valueOf(2 * f.scale()).multiply(BigInteger.valueOf(parties)))
          .isLessThan(top);
    }
  }

  @Test
  void weightedMeanOfEncodingsIsWithinTheStatedBound() {
    Random r = new Random(3);
    for (int lanes : new int[] {32, 64}) {
      long[] weights = {1, 500, 37, 250, 0};
      FixedPoint f =
          new FixedPoint(2.0, FixedPoint.largestScale(lanes, 5), 512, weights.length, lanes);
      int n = 1001;
      float[][] values = new float[weights.length][n];
      RingVector sum = new RingVector(n, lanes);
      long total = 0;
      for (int p = 0; p < weights.length; p++) {
        for (int i = 0; i < n; i++) {
          values[p][i] = (float) (r.nextGaussian() * 1.5);
        }
        values[p][0] = 7f; // clipped to +R: the largest encoding there is
        values[p][1] = -7f;
        sum.add(f.encode(values[p], weights[p]));
        total += weights[p];
      }
      float[] mean = f.decodeMean(sum, weights.length, total);
      for (int i = 0; i < n; i++) {
        double exact = 0;
        for (int p = 0; p < weights.length; p++) {
          exact += Math.max(-2.0, Math.min(2.0, values[p][i])) * weights[p];
        }
        exact /= total;
        assertThat(Math.abs(mean[i] - exact)).isLessThanOrEqualTo(f.bound(total) + 1e-6);
      }
    }
  }

  @Test
  void aSumOfTheLargestEncodingsOfEveryPartyDoesNotWrap() {
    for (int lanes : new int[] {32, 64}) {
      int parties = 7;
      FixedPoint f =
          new FixedPoint(1.0, FixedPoint.largestScale(lanes, parties), 9, parties, lanes);
      RingVector up = new RingVector(2, lanes);
      RingVector down = new RingVector(2, lanes);
      for (int p = 0; p < parties; p++) {
        up.add(f.encode(new float[] {1f, Float.MAX_VALUE}, 9));
        down.add(f.encode(new float[] {-1f, Float.NEGATIVE_INFINITY}, 9));
      }
      assertThat(f.decodeMean(up, parties, 9L * parties)).containsExactly(1f, 1f);
      assertThat(f.decodeMean(down, parties, 9L * parties)).containsExactly(-1f, -1f);
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
      FixedPoint f = new FixedPoint(2.0, 2047, 50, 4, lanes);
      byte[] k = new byte[32];
      r.nextBytes(k);
      java.util.List<MaskKey> keys =
          java.util.List.of(
              MaskKey.raw(java.util.Arrays.copyOf(k, MaskKey.KEY_BYTES), false),
              MaskKey.derive(k, "x", true));
      RingVector twoPass = f.encode(v, 7);
      assertThat(twoPass.lane(5)).isEqualTo(f.scale()); // NaN encodes as 0, offset by S
      MaskPrg.apply(keys, twoPass);
      assertThat(f.encodeMasked(v, 7, keys)).isEqualTo(twoPass);
    }
  }

  @Test
  void refusesAWeightAboveTheUnitAndAScaleThatCouldWrap() {
    FixedPoint f = new FixedPoint(1.0, 127, 10, 3, 32);
    assertThatThrownBy(() -> f.encode(new float[3], 11)).hasMessageContaining("weight 11");
    assertThatThrownBy(() -> new FixedPoint(1.0, (1L << 31) / 3 + 1, 10, 3, 32))
        .hasMessageContaining("allowed 1..");
    assertThatThrownBy(() -> f.decodeMean(new RingVector(1, 32), 4, 10))
        .hasMessageContaining("a sum of 4 parties");
    assertThatThrownBy(() -> new FixedPoint(1.0, 1, 0, 3, 32)).hasMessageContaining("weight unit");
    assertThatThrownBy(() -> new FixedPoint(1.0, 1, 1, 3, 48)).hasMessageContaining("lane bits");
  }
}
