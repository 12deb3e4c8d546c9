package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import org.junit.jupiter.api.Test;

class VectorEncoderTest {
  @Test
  void quantizesClipsWeightsAndPacksAsDocumented() throws Exception {
    // R = 1, 2 value bits: L = 3, q = round((v + 1) / 2 * 3); slot = 2 + 3 (maxWeight 7) + 2 = 7.
    BitBudget budget = BitBudget.of(1024, 1.0, 2, 7, 2);
    assertThat(budget.slotBits()).isEqualTo(7);
    VectorEncoder encoder = new VectorEncoder(budget, 4);
    BigInteger[] p = encoder.encode(new float[] {-1f, 1f, 0f, 5f}, 2, new Guard(9));
    assertThat(p).hasSize(1);
    // q = 0, 3, round(1.5) = 2, clipped 3; times weight 2: 0, 6, 4, 6; guard 9 in the top slot.
    BigInteger expected =
        BigInteger.valueOf(0)
            .or(BigInteger.valueOf(6).shiftLeft(7))
            .or(BigInteger.valueOf(4).shiftLeft(14))
            .or(BigInteger.valueOf(6).shiftLeft(21))
            .or(BigInteger.valueOf(9).shiftLeft(7 * budget.dataSlotsPerPlaintext()));
    assertThat(p[0]).isEqualTo(expected);
  }

  @Test
  void splitsLongVectorsOverPlaintexts() throws Exception {
    BitBudget budget = BitBudget.of(1024, 1.0, 16, 1000, 3);
    VectorEncoder encoder = new VectorEncoder(budget, 1000);
    int d = budget.dataSlotsPerPlaintext();
    assertThat(encoder.plaintextCount()).isEqualTo((1000 + d - 1) / d);
    BigInteger[] p = encoder.encode(new float[1000], 1, new Guard(1));
    assertThat(p).hasSize(encoder.plaintextCount());
    for (BigInteger x : p) {
      assertThat(x.bitLength()).isLessThan(1024);
    }
  }

  @Test
  void decodesASingleUnmaskedSum() throws Exception {
    BitBudget budget = BitBudget.of(1024, 3.0, 12, 100, 2);
    VectorEncoder encoder = new VectorEncoder(budget, 3);
    Guard guard = new Guard(77);
    BigInteger[] a = encoder.encode(new float[] {1f, -3f, 0.5f}, 10, guard);
    BigInteger[] b = encoder.encode(new float[] {-1f, 3f, 9f}, 30, guard);
    float[] mean = encoder.decode(new BigInteger[] {a[0].add(b[0])}, 2, 40, guard);
    double tol = budget.maxQuantizationError();
    assertThat((double) mean[0]).isBetween(-0.5 - tol, -0.5 + tol);
    assertThat((double) mean[1]).isBetween(1.5 - tol, 1.5 + tol);
    assertThat((double) mean[2]).isBetween(2.375 - tol, 2.375 + tol);
  }

  @Test
  void rejectsWeightAboveBudget() throws Exception {
    VectorEncoder encoder = new VectorEncoder(BitBudget.of(1024, 1.0, 16, 100, 2), 2);
    assertThatThrownBy(() -> encoder.encode(new float[2], 101, new Guard(1)))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("weight = 101; allowed 1..100");
    assertThatThrownBy(() -> encoder.encode(new float[2], 0, new Guard(1)))
        .isInstanceOf(InvalidAlgorithmParameterException.class);
  }

  @Test
  void rejectsNanAndWrongLength() throws Exception {
    VectorEncoder encoder = new VectorEncoder(BitBudget.of(1024, 1.0, 16, 100, 2), 2);
    assertThatThrownBy(() -> encoder.encode(new float[] {0f, Float.NaN}, 1, new Guard(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("update[1] is NaN");
    assertThatThrownBy(() -> encoder.encode(new float[3], 1, new Guard(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expects 2");
  }

  @Test
  void rejectsGuardTooWideAndInconsistentTotals() throws Exception {
    BitBudget budget = BitBudget.of(1024, 1.0, 8, 3, 2);
    VectorEncoder encoder = new VectorEncoder(budget, 2);
    Guard wide = new Guard(1L << budget.guardBits());
    assertThatThrownBy(() -> encoder.encode(new float[2], 1, wide))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("exceeds");
    BigInteger[] sums = encoder.encode(new float[2], 1, new Guard(1));
    assertThatThrownBy(() -> encoder.decode(sums, 3, 3, new Guard(1)))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("nodes = 3");
    assertThatThrownBy(() -> encoder.decode(sums, 2, 7, new Guard(1)))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("totalWeight = 7");
  }
}
