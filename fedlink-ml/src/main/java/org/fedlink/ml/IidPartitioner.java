package org.fedlink.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Independent, identically distributed partitions: the rows are shuffled with a seeded random and
 * dealt into parts whose sizes differ by at most one. Immutable and thread-safe.
 */
public final class IidPartitioner implements Partitioner {
  private final long seed;

  public IidPartitioner(long seed) {
    this.seed = seed;
  }

  /**
   * @throws FedlinkException INVALID_ARGUMENT if {@code parts < 1} or there are fewer rows than
   *     parts
   */
  @Override
  public List<Dataset> split(Dataset data, int parts) {
    requireParts(data, parts, 1);
    int[] order = new int[data.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Splits.shuffle(order, new Random(seed));
    List<Dataset> out = new ArrayList<>(parts);
    int n = data.rows();
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      int[] rows = Arrays.copyOfRange(order, from, to);
      Arrays.sort(rows);
      out.add(data.select(rows));
    }
    return out;
  }

  /** Checks that {@code parts} parts of at least {@code minRows} rows each are possible. */
  static void requireParts(Dataset data, int parts, int minRows) {
    if (parts < 1) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "number of parts " + parts + " is invalid: must be >= 1");
    }
    if ((long) parts * minRows > data.rows()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "cannot give each of "
              + parts
              + " parts at least "
              + minRows
              + " rows from "
              + data.rows()
              + " rows; use fewer parts or more data");
    }
  }

  @Override
  public String toString() {
    return "IidPartitioner[seed=" + seed + "]";
  }
}
