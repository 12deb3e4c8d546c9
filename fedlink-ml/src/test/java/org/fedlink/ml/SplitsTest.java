package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private static final Dataset DATA = TestData.indexed(503, 3, 9);

  @Test
  void partsAreDisjointAndCoverEveryRow() {
    TrainTestSplit s = Splits.trainTest(DATA, 0.2, 42);
    Set<Integer> train = ids(s.train());
    Set<Integer> test = ids(s.test());
    assertThat(train).doesNotContainAnyElementsOf(test);
    assertThat(train.size() + test.size()).isEqualTo(503);
    assertThat(s.train().rows() + s.test().rows()).isEqualTo(503);
    assertThat(s.test().rows()).isEqualTo(Math.round(503 * 0.2));
    assertRowsIntact(s.test());
  }

  @Test
  void keepsClassProportions() {
    TrainTestSplit s = Splits.trainTest(DATA, 0.3, 1);
    long[] all = DataSummary.of(DATA).classCounts();
    long[] test = DataSummary.of(s.test()).classCounts();
    for (int c = 0; c < all.length; c++) {
      assertThat((double) test[c])
          .isCloseTo(all[c] * 0.3, org.assertj.core.data.Offset.offset(1.0));
    }
  }

  @Test
  void isDeterministicForASeed() {
    assertThat(Splits.trainTest(DATA, 0.2, 5).test().x())
        .containsExactly(Splits.trainTest(DATA, 0.2, 5).test().x());
    assertThat(Splits.trainTest(DATA, 0.2, 5).test().x())
        .isNotEqualTo(Splits.trainTest(DATA, 0.2, 6).test().x());
  }

  @Test
  void rejectsFractionsOutsideTheOpenUnitInterval() {
    for (double f : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> Splits.trainTest(DATA, f, 1))
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining("test fraction " + f)
          .hasMessageContaining("between 0 and 1");
    }
  }

  @Test
  void rejectsSplitsThatLeaveAnEmptyPart() {
    Dataset tiny = TestData.indexed(2, 2, 1);
    assertThatThrownBy(() -> Splits.trainTest(tiny, 0.1, 1))
        .hasMessageContaining("both need at least one");
  }

  static Set<Integer> ids(Dataset d) {
    Set<Integer> ids = new HashSet<>();
    for (int r = 0; r < d.rows(); r++) {
      ids.add((int) d.x()[2 * r]);
    }
    assertThat(ids).hasSize(d.rows());
    return ids;
  }

  /** Each row still carries its own label and second feature. */
  static void assertRowsIntact(Dataset part) {
    for (int r = 0; r < part.rows(); r++) {
      int id = (int) part.x()[2 * r];
      assertThat(part.y()[r]).isEqualTo(DATA.y()[id]);
      assertThat(part.x()[2 * r + 1]).isEqualTo(DATA.x()[2 * id + 1]);
    }
  }
}
