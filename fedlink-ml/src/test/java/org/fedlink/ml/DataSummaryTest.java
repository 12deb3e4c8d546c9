package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataSummaryTest {

  @Test
  void mergeOfPartsEqualsSummaryOfTheUnion() {
    Random random = new Random(2024);
    for (int trial = 0; trial < 50; trial++) {
      Dataset data =
          TestData.blobs(
              20 + random.nextInt(200), 1 + random.nextInt(6), 2 + random.nextInt(4), trial);
      int parts = 1 + random.nextInt(5);
      List<DataSummary> summaries = new ArrayList<>();
      for (Dataset p : randomCut(data, parts, random)) {
        summaries.add(DataSummary.of(p));
      }
      DataSummary merged = DataSummary.merge(summaries);
      DataSummary whole = DataSummary.of(data);
      assertThat(merged.count()).isEqualTo(whole.count());
      assertThat(merged.classCounts()).containsExactly(whole.classCounts());
      for (int j = 0; j < whole.features(); j++) {
        double scale = Math.abs(whole.mean()[j]) + 1;
        assertThat(merged.mean()[j]).isCloseTo(whole.mean()[j], within(1e-9 * scale));
        assertThat(merged.m2()[j]).isCloseTo(whole.m2()[j], within(1e-9 * (whole.m2()[j] + 1)));
        assertThat(merged.std()[j]).isCloseTo(whole.std()[j], within(1e-9 * whole.std()[j]));
      }
    }
  }

  /** Cuts at random points, sometimes producing empty parts, which merge must ignore. */
  private static List<Dataset> randomCut(Dataset data, int parts, Random random) {
    int[] order = new int[data.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Splits.shuffle(order, random);
    int[] cuts = new int[parts + 1];
    cuts[parts] = order.length;
    for (int p = 1; p < parts; p++) {
      cuts[p] = random.nextInt(order.length + 1);
    }
    java.util.Arrays.sort(cuts);
    List<Dataset> out = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      out.add(data.select(java.util.Arrays.copyOfRange(order, cuts[p], cuts[p + 1])));
    }
    return out;
  }
}
