package org.fedlink.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.internal.Dirichlet;

/**
 * Label-skewed (non-IID) partitions: for each class, the shares of its rows over the parts are
 * drawn from a symmetric Dirichlet(alpha). Small alpha (0.1) gives parts dominated by a few
 * classes; large alpha (100) approaches IID.
 *
 * <p>Every part gets at least {@code minRows} rows: the draw is repeated (up to {@value #MAX_DRAWS}
 * times) until it holds, and otherwise the best draw is rebalanced by moving random rows from the
 * largest part to the short ones. Deterministic for a given seed. Immutable and thread-safe.
 */
public final class DirichletPartitioner implements Partitioner {
  /** Default minimum number of rows per part. */
  public static final int DEFAULT_MIN_ROWS = 10;

  /** Draws tried before rebalancing. */
  public static final int MAX_DRAWS = 100;

  private final double alpha;
  private final long seed;
  private final int minRows;

  /** A partitioner with {@link #DEFAULT_MIN_ROWS}. */
  public DirichletPartitioner(double alpha, long seed) {
    this(alpha, seed, DEFAULT_MIN_ROWS);
  }

  /**
   * @throws FedlinkException INVALID_ARGUMENT if {@code alpha} is not a positive finite number or
   *     {@code minRows} is negative
   */
  public DirichletPartitioner(double alpha, long seed, int minRows) {
    if (!(alpha > 0) || !Double.isFinite(alpha)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "Dirichlet alpha "
              + alpha
              + " is invalid: must be a positive number (0.1 strongly skewed, 100 nearly IID)");
    }
    if (minRows < 0) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "minimum rows per part " + minRows + " must be >= 0");
    }
    this.alpha = alpha;
    this.seed = seed;
    this.minRows = minRows;
  }

  /**
   * @throws FedlinkException INVALID_ARGUMENT if {@code parts < 1} or the data has fewer than
   *     {@code parts * minRows} rows
   */
  @Override
  public List<Dataset> split(Dataset data, int parts) {
    IidPartitioner.requireParts(data, parts, Math.max(1, minRows));
    Random random = new Random(seed);
    List<int[]> byClass = Splits.indicesByClass(data);
    int[] best = null;
    int bestMin = -1;
    for (int draw = 0; draw < MAX_DRAWS && bestMin < minRows; draw++) {
      int[] owner = draw(byClass, data.rows(), parts, random);
      int min = min(sizes(owner, parts));
      if (min > bestMin) {
        best = owner;
        bestMin = min;
      }
    }
    if (bestMin < minRows) {
      rebalance(best, parts, random);
    }
    return select(data, best, parts);
  }

  private int[] draw(List<int[]> byClass, int rows, int parts, Random random) {
    int[] owner = new int[rows];
    double[] share = new double[parts];
    for (int[] classRows : byClass) {
      int[] rs = classRows.clone();
      Splits.shuffle(rs, random);
      Dirichlet.sample(alpha, random, share);
      double cumulative = 0;
      int from = 0;
      for (int p = 0; p < parts; p++) {
        cumulative += share[p];
        int to = p == parts - 1 ? rs.length : (int) Math.round(cumulative * rs.length);
        for (int i = from; i < Math.max(from, to); i++) {
          owner[rs[i]] = p;
        }
        from = Math.max(from, to);
      }
    }
    return owner;
  }

  /** Moves random rows of the largest part to each part short of {@code minRows}. */
  private void rebalance(int[] owner, int parts, Random random) {
    int[] size = sizes(owner, parts);
    for (int p = 0; p < parts; p++) {
      while (size[p] < minRows) {
        int largest = 0;
        for (int q = 1; q < parts; q++) {
          largest = size[q] > size[largest] ? q : largest;
        }
        int pick = random.nextInt(size[largest]);
        for (int r = 0; r < owner.length; r++) {
          if (owner[r] == largest && pick-- == 0) {
            owner[r] = p;
            break;
          }
        }
        size[largest]--;
        size[p]++;
      }
    }
  }

  private static List<Dataset> select(Dataset data, int[] owner, int parts) {
    int[] size = sizes(owner, parts);
    int[][] rows = new int[parts][];
    for (int p = 0; p < parts; p++) {
      rows[p] = new int[size[p]];
    }
    int[] fill = new int[parts];
    for (int r = 0; r < owner.length; r++) {
      rows[owner[r]][fill[owner[r]]++] = r;
    }
    List<Dataset> out = new ArrayList<>(parts);
    for (int[] r : rows) {
      out.add(data.select(r));
    }
    return out;
  }

  private static int[] sizes(int[] owner, int parts) {
    int[] size = new int[parts];
    for (int p : owner) {
      size[p]++;
    }
    return size;
  }

  private static int min(int[] a) {
    int m = Integer.MAX_VALUE;
    for (int v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

  @Override
  public String toString() {
    return "DirichletPartitioner[alpha=" + alpha + ", seed=" + seed + ", minRows=" + minRows + "]";
  }
}
