package org.fedlink.ml;

import java.util.Random;

/** Seeded synthetic data sets for tests. */
final class TestData {
  private TestData() {}

  /**
   * Gaussian blobs: class c is centred at c*spread on feature c mod cols, plus unit noise, with
   * feature offsets and scales far from standard so standardization matters.
   */
  static Dataset blobs(int rows, int cols, int classes, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * cols];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      int c = i % classes;
      y[i] = c;
      for (int j = 0; j < cols; j++) {
        double centre = (j % classes == c) ? 3 : 0;
        x[i * cols + j] = (float) ((centre + r.nextGaussian()) * (j + 1) * 10 + 100 * j);
      }
    }
    return new Dataset(x, y, rows, cols);
  }

  /** Rows whose first feature is the row index, so tests can trace where each row went. */
  static Dataset indexed(int rows, int classes, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * 2];
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = (float) r.nextGaussian();
      y[i] = r.nextInt(classes);
    }
    return new Dataset(x, y, rows, 2);
  }
}
