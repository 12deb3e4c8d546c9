package org.fedlink.researcher.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;

/** Median, trimmed mean, Krum and Multi-Krum on small examples worked out by hand. */
class RobustAggregatorTest {

  private static Parameters vec(float... v) {
    return Parameters.of(new Tensor("w", new int[] {v.length}, v));
  }

  private static List<NodeUpdate> updates(float[]... rows) {
    List<NodeUpdate> out = new ArrayList<>();
    for (int k = 0; k < rows.length; k++) {
      // Example counts must not matter: a Byzantine node could claim any.
      out.add(new NodeUpdate(k + 1, vec(rows[k]), k == rows.length - 1 ? 1_000_000 : 1));
    }
    return out;
  }

  private static float[] agg(Strategy s, int dim, List<NodeUpdate> u) {
    return s.aggregate(vec(new float[dim]), u).tensors().get(0).data();
  }

  @Test
  void medianPerCoordinateOddAndEven() {
    // Columns {1,2,4} -> 2 and {10,20,-5} -> 10.
    assertThat(
            agg(
                new CoordinateMedian(),
                2,
                updates(new float[] {1, 10}, new float[] {2, 20}, new float[] {4, -5})))
        .containsExactly(2f, 10f);
    // Even count: the mean of the two middle values, {1,2,3,100} -> 2.5.
    assertThat(
            agg(
                new CoordinateMedian(),
                1,
                updates(new float[] {1}, new float[] {2}, new float[] {3}, new float[] {100})))
        .containsExactly(2.5f);
  }

  @Test
  void trimmedMeanDropsTheExtremesOfEachCoordinate() {
    // beta 0.25 of 4: one dropped at each end. {1,2,3,100} -> (2+3)/2; {-50,0,1,2} -> (0+1)/2.
    assertThat(
            agg(
                new TrimmedMean(0.25),
                2,
                updates(
                    new float[] {1, -50},
                    new float[] {100, 0},
                    new float[] {2, 1},
                    new float[] {3, 2})))
        .containsExactly(2.5f, 0.5f);
    // beta 0 is the plain (unweighted) mean.
    assertThat(agg(new TrimmedMean(0), 1, updates(new float[] {1}, new float[] {2})))
        .containsExactly(1.5f);
  }

  @Test
  void krumPicksTheUpdateClosestToItsNeighbours() {
    // n = 5, f = 1: each score sums the n - f - 2 = 2 smallest squared distances.
    // 0: {1,4,9,10000} -> 5; 1: {1,1,4,9801} -> 2; 2: {4,1,1,9604} -> 2; 3: {9,4,1,9409} -> 5;
    // 100: huge. Lowest: 1 and 2 tie at 2 -> the earlier (node order), value 1.
    List<NodeUpdate> u =
        updates(
            new float[] {0}, new float[] {1}, new float[] {2}, new float[] {3}, new float[] {100});
    assertThat(agg(new Krum(1, 1), 1, u)).containsExactly(1f);
    // Multi-Krum m = 3: scores 2, 2, then 0 and 3 tie at 5 -> the earlier, 0: mean(1,2,0) = 1.
    assertThat(agg(new Krum(1, 3), 1, u)).containsExactly(1f);
    assertThat(new Krum(1, 1).name()).isEqualTo("krum");
    assertThat(new Krum(1, 3).name()).isEqualTo("multi-krum");
  }

  @Test
  void krumRefusesTooFewUpdatesForItsF() {
    List<NodeUpdate> four =
        updates(new float[] {0}, new float[] {1}, new float[] {2}, new float[] {3});
    assertThatThrownBy(() -> new Krum(1, 1).aggregate(vec(0), four))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
        .hasMessageContaining("krum got 4 update(s) but needs at least 5")
        .hasMessageContaining("n > 2f + 2");
    assertThat(new Krum(2, 1).minimumNodes()).isEqualTo(7);
    assertThat(new Krum(1, 5).minimumNodes()).isEqualTo(6);
    assertThatThrownBy(() -> new Krum(-1, 1)).hasMessageContaining("must be at least 0");
    assertThatThrownBy(() -> new Krum(1, 0)).hasMessageContaining("must be at least 1");
  }

  @Test
  void trimmedMeanRefusesBetaThatCannotHold() {
    assertThatThrownBy(() -> new TrimmedMean(0.5)).hasMessageContaining("must be in [0, 0.5)");
    assertThat(new TrimmedMean(0.1).minimumNodes()).isEqualTo(10);
  }

  @Test
  void robustAggregatorsNeedEachUpdate() {
    assertThat(new CoordinateMedian().needsIndividualUpdates()).isTrue();
    assertThat(new TrimmedMean(0.1).needsIndividualUpdates()).isTrue();
    assertThat(new Krum(1, 1).needsIndividualUpdates()).isTrue();
    assertThat(new FedAvg().needsIndividualUpdates()).isFalse();
  }

  @Test
  void aByzantineUpdateMovesTheMeanButNotTheMedian() {
    List<NodeUpdate> u =
        updates(new float[] {1}, new float[] {1.1f}, new float[] {0.9f}, new float[] {1e6f});
    assertThat(agg(new CoordinateMedian(), 1, u)[0]).isBetween(0.9f, 1.1f);
    assertThat(Mean.uniform(vec(0), u).tensors().get(0).data()[0]).isGreaterThan(1000f);
  }
}
