package org.fedlink.simulation;

import java.util.SplittableRandom;
import org.fedlink.ml.Dataset;

/**
 * A seeded synthetic classification data set for simulations larger than the bundled ones: {@code
 * classes} Gaussian clusters in {@code cols} dimensions, centres drawn at random, unit noise, rows
 * dealt to classes in turn. Stateless.
 */
final class SyntheticData {
  static final int COLS = 32;
  static final int CLASSES = 10;

  private SyntheticData() {}

  static Dataset blobs(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] centres = new float[CLASSES][COLS];
    for (float[] c : centres) {
      for (int j = 0; j < COLS; j++) {
        c[j] = (float) (random.nextGaussian() * 0.3);
      }
    }
    float[] x = new float[rows * COLS];
    int[] y = new int[rows];
    for (int r = 0; r < rows; r++) {
      int label = random.nextInt(CLASSES);
      y[r] = label;
      for (int j = 0; j < COLS; j++) {
        x[r * COLS + j] = centres[label][j] + (float) random.nextGaussian();
      }
    }
    return new Dataset(x, y, rows, COLS);
  }
}
