package org.fedlink.researcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class NodeSampleTest {
  private static final List<Long> ONLINE = LongStream.rangeClosed(1, 100).boxed().toList();

  @Test
  void takesTheFractionAtLeastTheMinimumInOrder() {
    List<Long> s = NodeSample.of(ONLINE, 0.1, 1, 42, 3, Comparator.naturalOrder());
    assertThat(s).hasSize(10).isSorted().doesNotHaveDuplicates().isSubsetOf(ONLINE);
    assertThat(NodeSample.of(ONLINE, 0.01, 20, 42, 3, Comparator.naturalOrder())).hasSize(20);
    assertThat(NodeSample.of(ONLINE, 1.0, 1, 42, 3, Comparator.naturalOrder())).isEqualTo(ONLINE);
  }

  @Test
  void dependsOnSeedAndRoundNotOnTheOrderNodesWereListed() {
    List<Long> shuffled = new ArrayList<>(ONLINE);
    java.util.Collections.shuffle(shuffled, new java.util.Random(1));
    List<Long> a = NodeSample.of(ONLINE, 0.2, 1, 7, 1, Comparator.naturalOrder());
    assertThat(NodeSample.of(shuffled, 0.2, 1, 7, 1, Comparator.naturalOrder())).isEqualTo(a);
    assertThat(NodeSample.of(ONLINE, 0.2, 1, 7, 2, Comparator.naturalOrder())).isNotEqualTo(a);
    assertThat(NodeSample.of(ONLINE, 0.2, 1, 8, 1, Comparator.naturalOrder())).isNotEqualTo(a);
  }
}
