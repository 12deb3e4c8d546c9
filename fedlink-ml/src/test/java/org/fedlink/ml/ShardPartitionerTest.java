package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardPartitionerTest {

  @Test
  void eachPartSeesAboutItsNumberOfShardsOfLabels() {
    Dataset data = TestData.indexed(1000, 10, 3);
    List<Dataset> parts = new ShardPartitioner(2, 5).split(data, 20);
    Set<Integer> seen = new HashSet<>();
    for (Dataset p : parts) {
      assertThat(p.rows()).isEqualTo(50);
      // two shards of 25 rows sorted by label span at most two labels each
      assertThat(Arrays.stream(p.y()).distinct().count()).isLessThanOrEqualTo(4);
      Set<Integer> ids = SplitsTest.ids(p);
      assertThat(seen).doesNotContainAnyElementsOf(ids);
      seen.addAll(ids);
      for (int r = 0; r < p.rows(); r++) { // each row keeps its own label and features
        int id = (int) p.x()[2 * r];
        assertThat(p.y()[r]).isEqualTo(data.y()[id]);
        assertThat(p.x()[2 * r + 1]).isEqualTo(data.x()[2 * id + 1]);
      }
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void isDeterministicForASeed() {
    Dataset data = TestData.indexed(200, 4, 1);
    assertThat(new ShardPartitioner(2, 9).split(data, 5).get(0).x())
        .containsExactly(new ShardPartitioner(2, 9).split(data, 5).get(0).x());
  }

  @Test
  void refusesFewerRowsThanShards() {
    assertThatThrownBy(() -> new ShardPartitioner(2, 1).split(TestData.indexed(5, 2, 1), 3))
        .hasMessageContaining("cannot give each of 3 parts at least 2 rows from 5 rows");
    assertThatThrownBy(() -> new ShardPartitioner(0, 1))
        .hasMessageContaining("shards per part 0 is invalid");
  }
}
