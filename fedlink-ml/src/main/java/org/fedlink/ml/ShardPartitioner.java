package org.fedlink.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Label shards: the rows are sorted by label (ties in a seeded random order), cut into {@code parts
 * * shardsPerPart} shards of equal size, and each part is dealt {@code shardsPerPart} shards at
 * random, so that a part sees about that many labels. With one or two shards per part this is the
 * strongly non-IID split of the first federated-averaging experiments. Immutable and thread-safe.
 */
public final class ShardPartitioner implements Partitioner {
  private final int shardsPerPart;
  private final long seed;

  /**
   * @throws FedlinkException INVALID_ARGUMENT if {@code shardsPerPart < 1}
   */
  public ShardPartitioner(int shardsPerPart, long seed) {
    if (shardsPerPart < 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "shards per part " + shardsPerPart + " is invalid: use 1 or more (2 is common)");
    }
    this.shardsPerPart = shardsPerPart;
    this.seed = seed;
  }

  /**
   * @throws FedlinkException INVALID_ARGUMENT if {@code parts < 1} or there are fewer rows than
   *     shards
   */
  @Override
  public List<Dataset> split(Dataset data, int parts) {
    IidPartitioner.requireParts(data, parts, shardsPerPart);
    Random random = new Random(seed);
    int n = data.rows();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Splits.shuffle(order, random);
    int[] y = data.y();
    // Stable sort by label of the shuffled order: same-label rows stay in random order.
    Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
    Arrays.sort(boxed, (a, b) -> Integer.compare(y[a], y[b]));
    int shards = parts * shardsPerPart;
    int[] shardOrder = new int[shards];
    for (int i = 0; i < shards; i++) {
      shardOrder[i] = i;
    }
    Splits.shuffle(shardOrder, random);
    List<Dataset> out = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      List<Integer> rows = new ArrayList<>();
      for (int k = 0; k < shardsPerPart; k++) {
        int s = shardOrder[p * shardsPerPart + k];
        int from = (int) ((long) n * s / shards);
        int to = (int) ((long) n * (s + 1) / shards);
        for (int i = from; i < to; i++) {
          rows.add(boxed[i]);
        }
      }
      int[] idx = rows.stream().mapToInt(Integer::intValue).sorted().toArray();
      out.add(data.select(idx));
    }
    return out;
  }

  @Override
  public String toString() {
    return "ShardPartitioner[shardsPerPart=" + shardsPerPart + ", seed=" + seed + "]";
  }
}
