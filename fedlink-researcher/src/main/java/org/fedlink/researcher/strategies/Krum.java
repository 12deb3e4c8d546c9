package org.fedlink.researcher.strategies;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Krum and Multi-Krum (Blanchard et al., "Machine Learning with Adversaries: Byzantine Tolerant
 * Gradient Descent", NeurIPS 2017), assuming at most {@code f} Byzantine updates among n. Each
 * update's score is the sum of its squared distances to its {@code n - f - 2} nearest other
 * updates; Krum takes the update with the lowest score, Multi-Krum the mean of the {@code m}
 * lowest. The guarantee needs {@code n > 2f + 2}, so fewer updates are refused. Ties go to the
 * earlier update (updates come sorted by node id). Stateless.
 */
public final class Krum extends RobustAggregator {
  private final int f;
  private final int m;

  /**
   * @param f how many Byzantine updates to tolerate, at least 0
   * @param m how many updates to keep and average: 1 for Krum, more for Multi-Krum
   */
  public Krum(int f, int m) {
    if (f < 0) {
      throw bad("Krum's f (assumed Byzantine nodes) " + f + " must be at least 0");
    }
    if (m < 1) {
      throw bad("Multi-Krum's m (updates kept) " + m + " must be at least 1");
    }
    this.f = f;
    this.m = m;
  }

  @Override
  public java.util.Map<String, String> hyperparameters() {
    return java.util.Map.of("f", Integer.toString(f), "m", Integer.toString(m));
  }

  @Override
  public String name() {
    return m == 1 ? "krum" : "multi-krum";
  }

  /** {@code max(2f + 3, m + f)}: Krum needs n > 2f + 2, and m must leave f updates out. */
  @Override
  public int minimumNodes() {
    return Math.max(2 * f + 3, m + f);
  }

  @Override
  String minimumReason() {
    return "Krum with f = " + f + " needs n > 2f + 2" + (m > 1 ? " and n >= m + f, m = " + m : "");
  }

  public int f() {
    return f;
  }

  public int m() {
    return m;
  }

  @Override
  float[] combine(float[][] rows) {
    int n = rows.length;
    double[][] dist = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        double s = 0;
        float[] x = rows[a];
        float[] y = rows[b];
        for (int i = 0; i < x.length; i++) {
          double d = (double) x[i] - y[i];
          s += d * d;
        }
        dist[a][b] = s;
        dist[b][a] = s;
      }
    }
    int neighbours = n - f - 2;
    double[] score = new double[n];
    double[] others = new double[n - 1];
    for (int a = 0; a < n; a++) {
      int k = 0;
      for (int b = 0; b < n; b++) {
        if (b != a) {
          others[k++] = dist[a][b];
        }
      }
      Arrays.sort(others);
      for (int j = 0; j < neighbours; j++) {
        score[a] += others[j];
      }
    }
    int[] chosen =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer a) -> score[a]).thenComparing(a -> a))
            .limit(m)
            .mapToInt(Integer::intValue)
            .toArray();
    float[] out = new float[rows[0].length];
    for (int c : chosen) {
      float[] r = rows[c];
      for (int i = 0; i < out.length; i++) {
        out[i] += r[i];
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= chosen.length;
    }
    return out;
  }
}
