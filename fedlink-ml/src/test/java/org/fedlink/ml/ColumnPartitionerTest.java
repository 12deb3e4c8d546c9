package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColumnPartitionerTest {

  /** Rows whose column 1 is a site number 0..sites-1. */
  private static Dataset bySite(int rows, int sites) {
    float[] x = new float[rows * 2];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = i % sites;
      y[i] = i % 3;
    }
    return new Dataset(x, y, rows, 2);
  }

  @Test
  void rowsOfOneValueStayTogether() {
    List<Dataset> parts = new ColumnPartitioner(1).split(bySite(90, 6), 3);
    Set<Float> sitesSeen = new HashSet<>();
    int total = 0;
    for (Dataset p : parts) {
      Set<Float> sites = new HashSet<>();
      for (int r = 0; r < p.rows(); r++) {
        sites.add(p.x()[2 * r + 1]);
      }
      assertThat(sites).hasSize(2);
      assertThat(sitesSeen).doesNotContainAnyElementsOf(sites);
      sitesSeen.addAll(sites);
      total += p.rows();
    }
    assertThat(total).isEqualTo(90);
  }

  @Test
  void refusesMorePartsThanValuesAndMissingColumns() {
    assertThatThrownBy(() -> new ColumnPartitioner(1).split(bySite(20, 2), 3))
        .hasMessageContaining("column 1 has 2 distinct values, fewer than the 3 parts");
    assertThatThrownBy(() -> new ColumnPartitioner(5).split(bySite(20, 2), 2))
        .hasMessageContaining("column 5 does not exist: the data set has 2 feature columns");
  }
}
