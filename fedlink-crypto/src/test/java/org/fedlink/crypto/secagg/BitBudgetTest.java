package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BitBudgetTest {
  @Test
  void computesDocumentedLayout() throws Exception {
    BitBudget b = BitBudget.of(1024, 1.0, 16, (1 << 20) - 1, 10);
    assertThat(b.slotBits()).isEqualTo(40);
    assertThat(b.slotsPerPlaintext()).isEqualTo(25);
    assertThat(b.dataSlotsPerPlaintext()).isEqualTo(24);
    assertThat(b.plaintextsFor(1_200_000)).isEqualTo(50_000);
    assertThat(BitBudget.of(2048, 1.0, 16, (1 << 20) - 1, 10).dataSlotsPerPlaintext())
        .isEqualTo(50);
    assertThat(b.maxQuantizationError())
        .isCloseTo(1.0 / 65535, org.assertj.core.api.Assertions.within(1e-6));
  }

  @Test
  void worstCaseSumNeverCarriesNorReachesModulusForRandomAcceptedConfigs() {
    Random random = new Random(3);
    int accepted = 0;
    for (int i = 0; i < 2000; i++) {
      int bits = 64 + random.nextInt(2048);
      int valueBits = 1 + random.nextInt(34);
      long maxWeight = 1 + (random.nextLong() >>> (1 + random.nextInt(63)));
      int nodes = 1 + random.nextInt(5000);
      BitBudget b;
      try {
        b = BitBudget.of(bits, 1.0, valueBits, maxWeight, nodes);
      } catch (InvalidAlgorithmParameterException e) {
        continue;
      }
      accepted++;
      BigInteger slotMax =
          BigInteger.valueOf(nodes)
              .multiply(BigInteger.valueOf(maxWeight))
              .multiply(BigInteger.ONE.shiftLeft(valueBits).subtract(BigInteger.ONE));
      assertThat(slotMax.bitLength()).isLessThanOrEqualTo(b.slotBits());
      BigInteger guardMax = BigInteger.valueOf(nodes).shiftLeft(b.guardBits());
      assertThat(guardMax.subtract(BigInteger.ONE).bitLength()).isLessThanOrEqualTo(b.slotBits());
      assertThat(b.slotsPerPlaintext() * b.slotBits()).isLessThanOrEqualTo(bits - 1);
    }
    assertThat(accepted).isGreaterThan(100);
  }

  @Test
  void rejectsSlotsWiderThanALong() {
    assertThatThrownBy(() -> BitBudget.of(2048, 1.0, 32, 1L << 30, 1024))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("slot of 74 bits")
        .hasMessageContaining("maxWeight 1073741824");
  }

  @Test
  void rejectsModulusTooSmallForTwoSlots() {
    assertThatThrownBy(() -> BitBudget.of(64, 1.0, 16, 1 << 20, 10))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("N of 64 bits holds 1 slot(s) of 41 bits");
  }

  @Test
  void rejectsOutOfRangeParameters() {
    assertThatThrownBy(() -> BitBudget.of(1024, 0, 16, 10, 3))
        .hasMessageContaining("clippingRange = 0.0");
    assertThatThrownBy(() -> BitBudget.of(1024, Double.NaN, 16, 10, 3))
        .hasMessageContaining("clippingRange = NaN");
    assertThatThrownBy(() -> BitBudget.of(1024, 1, 33, 10, 3))
        .hasMessageContaining("valueBits = 33; allowed 2..32");
    assertThatThrownBy(() -> BitBudget.of(1024, 1, 16, 0, 3)).hasMessageContaining("maxWeight = 0");
    assertThatThrownBy(() -> BitBudget.of(1024, 1, 16, 10, 1))
        .isInstanceOf(InvalidAlgorithmParameterException.class)
        .hasMessageContaining("numNodes = 1");
  }
}
