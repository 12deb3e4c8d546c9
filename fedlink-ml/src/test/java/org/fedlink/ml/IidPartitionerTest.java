package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IidPartitionerTest {

  @Test
  void dealsDisjointPartsOfNearlyEqualSize() {
    Dataset data = TestData.indexed(103, 3, 1);
    List<Dataset> parts = new IidPartitioner(7).split(data, 4);
    Set<Integer> seen = new HashSet<>();
    for (Dataset p : parts) {
      assertThat(p.rows()).isBetween(25, 26);
      Set<Integer> ids = SplitsTest.ids(p);
      assertThat(seen).doesNotContainAnyElementsOf(ids);
      seen.addAll(ids);
    }
    assertThat(seen).hasSize(103);
  }

  @Test
  void isDeterministicForASeed() {
    Dataset data = TestData.indexed(50, 3, 1);
    assertThat(new IidPartitioner(3).split(data, 2).get(0).x())
        .containsExactly(new IidPartitioner(3).split(data, 2).get(0).x());
    assertThat(new IidPartitioner(3).split(data, 2).get(0).x())
        .isNotEqualTo(new IidPartitioner(4).split(data, 2).get(0).x());
  }

  @Test
  void rejectsImpossiblePartCounts() {
    Dataset data = TestData.indexed(3, 2, 1);
    assertThatThrownBy(() -> new IidPartitioner(1).split(data, 0))
        .hasMessageContaining("number of parts 0 is invalid");
    assertThatThrownBy(() -> new IidPartitioner(1).split(data, 4))
        .hasMessageContaining("cannot give each of 4 parts at least 1 rows from 3 rows");
  }
}
