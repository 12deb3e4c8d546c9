package org.fedlink.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Seeded, stratified train/test splits. Stateless and thread-safe. */
public final class Splits {
  private Splits() {}

  /**
   * Splits {@code data} so that about {@code testFraction} of the rows of each class go to the test
   * part (stratified). Each class contributes {@code round(count * testFraction)} rows, kept below
   * its count when it has two or more rows. Both parts are shuffled; the result depends only on the
   * data and {@code seed}.
   *
   * @throws FedlinkException INVALID_ARGUMENT if {@code testFraction} is not in (0, 1) or either
   *     part would be empty
   */
  public static TrainTestSplit trainTest(Dataset data, double testFraction, long seed) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "test fraction " + testFraction + " is invalid: must be between 0 and 1, e.g. 0.2");
    }
    Random random = new Random(seed);
    List<int[]> byClass = indicesByClass(data);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    int[] quota = testQuota(byClass, data.rows(), testFraction);
    for (int c = 0; c < byClass.size(); c++) {
      int[] rows = byClass.get(c);
      shuffle(rows, random);
      for (int i = 0; i < rows.length; i++) {
        (i < quota[c] ? test : train).add(rows[i]);
      }
    }
    if (train.isEmpty() || test.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "a test fraction of "
              + testFraction
              + " over "
              + data.rows()
              + " rows leaves "
              + train.size()
              + " training and "
              + test.size()
              + " test rows; both need at least one");
    }
    return new TrainTestSplit(
        data.select(shuffled(train, random)), data.select(shuffled(test, random)));
  }

  /**
   * Test rows per class: {@code round(rows * fraction)} in all, shared by largest remainder, and
   * never a whole class of two or more rows.
   */
  private static int[] testQuota(List<int[]> byClass, int rows, double fraction) {
    int k = byClass.size();
    int[] quota = new int[k];
    double[] remainder = new double[k];
    int left = (int) Math.round(rows * fraction);
    for (int c = 0; c < k; c++) {
      double exact = byClass.get(c).length * fraction;
      quota[c] = (int) Math.floor(exact);
      remainder[c] = exact - quota[c];
      left -= quota[c];
    }
    for (; left > 0; left--) {
      int best = -1;
      for (int c = 0; c < k; c++) {
        if (remainder[c] >= 0 && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      if (best < 0) {
        break;
      }
      quota[best]++;
      remainder[best] = -1;
    }
    for (int c = 0; c < k; c++) {
      int n = byClass.get(c).length;
      if (n >= 2) {
        quota[c] = Math.min(quota[c], n - 1);
      }
    }
    return quota;
  }

  /** Row indices of each label 0..numClasses-1, in data order. */
  static List<int[]> indicesByClass(Dataset data) {
    int k = data.numClasses();
    int[] counts = new int[k];
    for (int label : data.y()) {
      counts[label]++;
    }
    List<int[]> out = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      out.add(new int[counts[c]]);
    }
    int[] fill = new int[k];
    int[] y = data.y();
    for (int r = 0; r < y.length; r++) {
      out.get(y[r])[fill[y[r]]++] = r;
    }
    return out;
  }

  static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] shuffled(List<Integer> rows, Random random) {
    int[] a = rows.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(a);
    shuffle(a, random);
    return a;
  }
}
