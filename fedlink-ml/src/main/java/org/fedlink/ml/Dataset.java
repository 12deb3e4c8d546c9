package org.fedlink.ml;

import java.util.Objects;

/**
 * A labelled data set held in primitive arrays: {@code rows x cols} features row-major in {@code
 * x}, one class label per row in {@code y}.
 *
 * <p>Arrays are shared, not copied. Immutable by convention: plans must not write into them.
 *
 * @param x features, length {@code rows * cols}
 * @param y labels in {@code [0, numClasses)}, length {@code rows}
 * @param rows number of samples
 * @param cols number of features
 */
public record Dataset(float[] x, int[] y, int rows, int cols) {
  public Dataset {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (rows < 0 || cols < 1) {
      throw new IllegalArgumentException("rows=" + rows + ", cols=" + cols + ": need cols >= 1");
    }
    if ((long) rows * cols != x.length || y.length != rows) {
      throw new IllegalArgumentException(
          "dataset arrays do not match rows="
              + rows
              + " cols="
              + cols
              + ": x has "
              + x.length
              + ", y has "
              + y.length);
    }
  }

  /** One more than the largest label (0 for an empty set). */
  public int numClasses() {
    int max = -1;
    for (int label : y) {
      max = Math.max(max, label);
    }
    return max + 1;
  }

  /** The rows at the given indices, copied, in that order. */
  public Dataset select(int[] indices) {
    float[] nx = new float[indices.length * cols];
    int[] ny = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(x, indices[i] * cols, nx, i * cols, cols);
      ny[i] = y[indices[i]];
    }
    return new Dataset(nx, ny, indices.length, cols);
  }
}
