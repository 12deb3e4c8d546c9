package org.fedlink.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Natural partitions by the value of one feature column (a site, a hospital, a user id): rows with
 * the same value always go to the same part. The distinct values, in ascending order, are dealt to
 * the parts in turn, so there must be at least as many values as parts. Immutable and thread-safe.
 */
public final class ColumnPartitioner implements Partitioner {
  private final int column;

  /**
   * @param column zero-based feature column
   * @throws FedlinkException INVALID_ARGUMENT if {@code column < 0}
   */
  public ColumnPartitioner(int column) {
    if (column < 0) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "column " + column + " is invalid: use a zero-based feature column index");
    }
    this.column = column;
  }

  /**
   * @throws FedlinkException INVALID_ARGUMENT if the column does not exist or has fewer distinct
   *     values than {@code parts}
   */
  @Override
  public List<Dataset> split(Dataset data, int parts) {
    IidPartitioner.requireParts(data, parts, 1);
    if (column >= data.cols()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "column "
              + column
              + " does not exist: the data set has "
              + data.cols()
              + " feature columns (0.."
              + (data.cols() - 1)
              + ")");
    }
    TreeMap<Float, List<Integer>> byValue = new TreeMap<>();
    for (int r = 0; r < data.rows(); r++) {
      byValue.computeIfAbsent(data.x()[r * data.cols() + column], v -> new ArrayList<>()).add(r);
    }
    if (byValue.size() < parts) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "column "
              + column
              + " has "
              + byValue.size()
              + " distinct values, fewer than the "
              + parts
              + " parts: use at most "
              + byValue.size()
              + " nodes or another column");
    }
    List<List<Integer>> rows = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      rows.add(new ArrayList<>());
    }
    int i = 0;
    for (List<Integer> group : byValue.values()) {
      rows.get(i++ % parts).addAll(group);
    }
    List<Dataset> out = new ArrayList<>(parts);
    for (List<Integer> r : rows) {
      out.add(data.select(r.stream().mapToInt(Integer::intValue).sorted().toArray()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "ColumnPartitioner[column=" + column + "]";
  }
}
