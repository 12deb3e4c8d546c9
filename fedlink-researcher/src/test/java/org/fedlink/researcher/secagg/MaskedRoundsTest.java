package org.fedlink.researcher.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.fedlink.crypto.masking.FixedPoint;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.junit.jupiter.api.Test;

class MaskedRoundsTest {
  private final SecureAggregation lom = SecureAggregation.lom();

  @Test
  void knownWeightsGiveAPowerOfTwoUnitAndThirtyTwoBitLanesAtTheDefaultPrecision() {
    List<Long> weights = Collections.nCopies(100, 1000L);
    FixedPoint f = MaskedRounds.fixedPoint(lom, weights, 100, 100, "round 2/5 train");
    assertThat(f.weightUnit()).isEqualTo(1024);
    assertThat(f.laneBits()).isEqualTo(32);
    double promised = lom.clippingRange() / ((1L << (lom.valueBits() - 1)) - 1) / 2;
    assertThat(f.bound(100 * 1000L)).isLessThanOrEqualTo(promised);
  }

  @Test
  void unknownWeightsFallBackToTheAgreedMaxWeightAndWiderLanes() {
    FixedPoint f = MaskedRounds.fixedPoint(lom, null, 3, 3, "round 1/5 train");
    assertThat(f.weightUnit()).isEqualTo(lom.maxWeight());
    assertThat(f.laneBits()).isEqualTo(64);
    assertThat(f.bound(1)).isLessThanOrEqualTo(lom.clippingRange() / 32767 / 2);
  }

  @Test
  void theSumIsPromisedOnlyTheSmallestWeightsThatMaySurvive() {
    // One node of 1000 examples and 99 of 1: if only the 50 smallest survive, the total is 50.
    List<Long> weights = new java.util.ArrayList<>(Collections.nCopies(99, 1L));
    weights.add(1000L);
    FixedPoint f = MaskedRounds.fixedPoint(lom, weights, 100, 50, "round 2/5 train");
    assertThat(f.bound(50)).isLessThanOrEqualTo(lom.clippingRange() / 32767 / 2);
    assertThat(f.laneBits()).isEqualTo(64);
    List<Long> zeros = List.of(0L, 0L);
    assertThat(MaskedRounds.fixedPoint(lom, zeros, 2, 2, "r").weightUnit()).isEqualTo(1);
  }

  @Test
  void theNodesAreToldEveryNumberTheirEncodingNeeds() {
    FixedPoint f = MaskedRounds.fixedPoint(lom, List.of(7L, 9L), 2, 2, "r");
    assertThat(MaskedRounds.encoding(f))
        .containsEntry(SecAggKeys.SCALE, Long.toString(f.scale()))
        .containsEntry(SecAggKeys.WEIGHT_UNIT, "16")
        .containsEntry(SecAggKeys.LANE_BITS, "32")
        .containsEntry(SecAggKeys.MAX_PARTIES, "2")
        .containsKey(SecAggKeys.CLIPPING_RANGE);
    assertThatThrownBy(
            () -> MaskedRounds.fixedPoint(lom.valueBits(32), null, 100_000, 1, "round 1/5 train"))
        .hasMessageContaining("round 1/5 train failed")
        .hasMessageContaining("does not fit 64-bit lanes");
  }
}
