package org.fedlink.researcher;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The nodes a round asks: a seeded sample of the online nodes. The same online nodes, fraction,
 * seed and round always give the same sample, so a simulated study can be repeated exactly.
 * Stateless and thread-safe.
 */
final class NodeSample {
  private NodeSample() {}

  /**
   * {@code max(minNodes, ceil(fraction * online))} of {@code online} (all of them when that is not
   * fewer), in {@code order}.
   */
  static List<Long> of(
      List<Long> online,
      double fraction,
      int minNodes,
      long seed,
      int round,
      java.util.Comparator<Long> order) {
    int want = Math.max(minNodes, (int) Math.ceil(fraction * online.size() - 1e-9));
    if (want >= online.size()) {
      return online;
    }
    List<Long> ids = new ArrayList<>(online);
    ids.sort(order);
    // A partial Fisher-Yates shuffle: the first `want` places are a uniform sample.
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round);
    for (int i = 0; i < want; i++) {
      int j = i + random.nextInt(ids.size() - i);
      Long t = ids.get(i);
      ids.set(i, ids.get(j));
      ids.set(j, t);
    }
    List<Long> sample = new ArrayList<>(ids.subList(0, want));
    sample.sort(order);
    return sample;
  }
}
