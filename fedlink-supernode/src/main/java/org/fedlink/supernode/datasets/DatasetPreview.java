package org.fedlink.supernode.datasets;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedlink.ml.Dataset;

/**
 * What a node's admin sees of a registered dataset before researchers use it: its first rows and
 * per-column statistics, the classes and how many rows each has. Computed from the loaded file.
 *
 * @param record the registration
 * @param classes distinct labels
 * @param rows the first rows: features then the label
 * @param columns statistics of each feature column, in order
 * @param labelCounts rows per label
 */
public record DatasetPreview(
    DatasetRecord record,
    int classes,
    List<float[]> rows,
    List<ColumnStats> columns,
    Map<Integer, Integer> labelCounts) {

  /** Statistics of one feature column over every row. */
  public record ColumnStats(int index, double min, double max, double mean, double std) {}

  public DatasetPreview {
    rows = List.copyOf(rows);
    columns = List.copyOf(columns);
    labelCounts = Map.copyOf(labelCounts);
  }

  static DatasetPreview of(DatasetRecord record, Dataset data, int firstRows) {
    int n = data.rows();
    int d = data.cols();
    List<float[]> first = new java.util.ArrayList<>();
    for (int i = 0; i < Math.min(firstRows, n); i++) {
      float[] row = new float[d + 1];
      System.arraycopy(data.x(), i * d, row, 0, d);
      row[d] = data.y()[i];
      first.add(row);
    }
    List<ColumnStats> cols = new java.util.ArrayList<>();
    for (int j = 0; j < d; j++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      double sumSq = 0;
      for (int i = 0; i < n; i++) {
        double v = data.x()[i * d + j];
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
        sumSq += v * v;
      }
      double mean = n == 0 ? Double.NaN : sum / n;
      double var = n == 0 ? Double.NaN : Math.max(0, sumSq / n - mean * mean);
      cols.add(new ColumnStats(j, min, max, mean, Math.sqrt(var)));
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    for (int label : data.y()) {
      counts.merge(label, 1, Integer::sum);
    }
    return new DatasetPreview(record, counts.size(), first, cols, counts);
  }
}
