package org.fedlink.ml;

import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * Per-feature statistics of a data set, computed on each node and merged by the researcher so the
 * global model can standardize features without any node revealing a row.
 *
 * @param count number of rows
 * @param mean per-feature mean
 * @param m2 per-feature sum of squared deviations from the mean
 * @param classCounts rows per label
 */
public record DataSummary(long count, double[] mean, double[] m2, long[] classCounts) {

  /** Number of features. */
  public int features() {
    return mean.length;
  }

  /** Number of classes (one more than the largest label seen). */
  public int classes() {
    return classCounts.length;
  }

  /** Per-feature population standard deviation; 1 where a feature is constant. */
  public double[] std() {
    double[] s = new double[mean.length];
    for (int j = 0; j < s.length; j++) {
      double v = count > 0 ? m2[j] / count : 0;
      s[j] = v > 1e-12 ? Math.sqrt(v) : 1.0;
    }
    return s;
  }

  /** Statistics of one data set. */
  public static DataSummary of(Dataset data) {
    int d = data.cols();
    double[] mean = new double[d];
    double[] m2 = new double[d];
    float[] x = data.x();
    for (int i = 0; i < data.rows(); i++) {
      int off = i * d;
      for (int j = 0; j < d; j++) {
        mean[j] += x[off + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] = data.rows() > 0 ? mean[j] / data.rows() : 0;
    }
    for (int i = 0; i < data.rows(); i++) {
      int off = i * d;
      for (int j = 0; j < d; j++) {
        double dev = x[off + j] - mean[j];
        m2[j] += dev * dev;
      }
    }
    long[] classCounts = new long[data.numClasses()];
    for (int label : data.y()) {
      classCounts[label]++;
    }
    return new DataSummary(data.rows(), mean, m2, classCounts);
  }

  /** Merges summaries of disjoint data sets (Chan et al.'s parallel variance). */
  public static DataSummary merge(List<DataSummary> parts) {
    if (parts.isEmpty()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "no data summary to merge");
    }
    int d = parts.get(0).features();
    int k = 0;
    for (DataSummary p : parts) {
      if (p.features() != d) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "nodes disagree on the number of features: " + d + " and " + p.features());
      }
      k = Math.max(k, p.classes());
    }
    long n = 0;
    double[] mean = new double[d];
    double[] m2 = new double[d];
    long[] classes = new long[k];
    for (DataSummary p : parts) {
      if (p.count == 0) {
        continue;
      }
      long nn = n + p.count;
      for (int j = 0; j < d; j++) {
        double delta = p.mean[j] - mean[j];
        mean[j] += delta * p.count / nn;
        m2[j] += p.m2[j] + delta * delta * ((double) n * p.count / nn);
      }
      for (int c = 0; c < p.classes(); c++) {
        classes[c] += p.classCounts[c];
      }
      n = nn;
    }
    return new DataSummary(n, mean, m2, classes);
  }

  /** Encodes the summary as parameters so it can travel like a model. */
  public Parameters toParameters() {
    float[] c = {(float) count};
    return Parameters.of(
        new Tensor("count", new int[] {1}, c),
        new Tensor("mean", new int[] {mean.length}, toFloat(mean)),
        new Tensor("m2", new int[] {m2.length}, toFloat(m2)),
        new Tensor("class_counts", new int[] {Math.max(1, classCounts.length)}, classFloats()));
  }

  /** Decodes {@link #toParameters()}. */
  public static DataSummary fromParameters(Parameters p) {
    long count = (long) p.get("count").data()[0];
    float[] mean = p.get("mean").data();
    float[] m2 = p.get("m2").data();
    float[] cc = p.get("class_counts").data();
    long[] classes = new long[count == 0 ? 0 : cc.length];
    for (int c = 0; c < classes.length; c++) {
      classes[c] = (long) cc[c];
    }
    return new DataSummary(count, toDouble(mean), toDouble(m2), classes);
  }

  private float[] classFloats() {
    float[] f = new float[Math.max(1, classCounts.length)];
    for (int c = 0; c < classCounts.length; c++) {
      f[c] = classCounts[c];
    }
    return f;
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  private static double[] toDouble(float[] a) {
    double[] f = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = a[i];
    }
    return f;
  }
}
