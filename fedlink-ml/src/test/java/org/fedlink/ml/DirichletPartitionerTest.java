package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class DirichletPartitionerTest {
  private static final Dataset DATA = TestData.indexed(1000, 10, 3);

  @Test
  void partsAreDisjointAndCoverEveryRow() {
    for (long seed = 0; seed < 5; seed++) {
      List<Dataset> parts = new DirichletPartitioner(0.5, seed).split(DATA, 5);
      Set<Integer> seen = new HashSet<>();
      int rows = 0;
      for (Dataset p : parts) {
        Set<Integer> ids = SplitsTest.ids(p);
        assertThat(seen).doesNotContainAnyElementsOf(ids);
        seen.addAll(ids);
        rows += p.rows();
      }
      assertThat(parts).hasSize(5);
      assertThat(seen).hasSize(1000);
      assertThat(rows).isEqualTo(1000);
    }
  }

  @Test
  void everyPartGetsTheMinimumEvenWithTinyAlpha() {
    for (long seed = 0; seed < 20; seed++) {
      for (Dataset p : new DirichletPartitioner(0.01, seed, 40).split(DATA, 8)) {
        assertThat(p.rows()).isGreaterThanOrEqualTo(40);
      }
    }
    for (Dataset p : new DirichletPartitioner(0.05, 1).split(TestData.indexed(60, 3, 1), 6)) {
      assertThat(p.rows()).isEqualTo(DirichletPartitioner.DEFAULT_MIN_ROWS);
    }
  }

  @Test
  void smallAlphaSkewsLabelsAndLargeAlphaDoesNot() {
    assertThat(meanDominantShare(0.1)).isGreaterThan(0.35);
    assertThat(meanDominantShare(1000)).isLessThan(0.2);
  }

  @Test
  void isDeterministicForASeed() {
    assertThat(new DirichletPartitioner(0.5, 9).split(DATA, 3).get(1).x())
        .containsExactly(new DirichletPartitioner(0.5, 9).split(DATA, 3).get(1).x());
    assertThat(new DirichletPartitioner(0.5, 9).split(DATA, 3).get(1).rows())
        .isNotEqualTo(new DirichletPartitioner(0.5, 10).split(DATA, 3).get(1).rows());
  }

  @Test
  void rejectsNonPositiveAlpha() {
    for (double alpha : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new DirichletPartitioner(alpha, 1))
          .isInstanceOfSatisfying(
              FedlinkException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessageContaining("Dirichlet alpha " + alpha + " is invalid")
          .hasMessageContaining("positive");
    }
  }

  @Test
  void rejectsTooFewRowsForTheMinimum() {
    assertThatThrownBy(() -> new DirichletPartitioner(0.5, 1).split(TestData.indexed(29, 2, 1), 3))
        .hasMessageContaining("cannot give each of 3 parts at least 10 rows from 29 rows");
  }

  /** Mean over parts of the share of the part's most frequent label. */
  private static double meanDominantShare(double alpha) {
    double sum = 0;
    int count = 0;
    for (long seed = 0; seed < 5; seed++) {
      for (Dataset p : new DirichletPartitioner(alpha, seed).split(DATA, 4)) {
        long[] c = DataSummary.of(p).classCounts();
        long max = 0;
        for (long v : c) {
          max = Math.max(max, v);
        }
        sum += (double) max / p.rows();
        count++;
      }
    }
    return sum / count;
  }
}
