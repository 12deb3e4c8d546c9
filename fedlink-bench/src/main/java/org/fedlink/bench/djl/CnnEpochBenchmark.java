package org.fedlink.bench.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fedlink.core.Parameters;
import org.fedlink.djl.CnnPlan;
import org.fedlink.djl.DjlRuntime;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.TrainingArgs;

/**
 * Images per second of one local epoch of the built-in cnn plan on the 8x8 digits (1797 images,
 * batch 32, SGD), inside Fedlink ({@code CnnPlan.train}: the model in and out of Fedlink's
 * parameters, standardization, shuffling) beside the same network and training loop written
 * directly on DJL, alternated in one JVM, on one intra-op thread each.
 *
 * <p>Run on the distribution's class path: {@code java -cp
 * "fedlink-bench/target/classes:fedlink-cli/target/lib/*" org.fedlink.bench.djl.CnnEpochBenchmark
 * [repetitions]}.
 */
public final class CnnEpochBenchmark {
  private CnnEpochBenchmark() {}

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    Dataset data = BundledDatasets.load(BundledDatasets.DIGITS);
    TrainingArgs targs = new TrainingArgs(1, 32, 0.05, "sgd", 0.9, 0.0, 42L, new int[0]);
    CnnPlan plan = new CnnPlan();
    long t0 = System.nanoTime();
    Engine engine = DjlRuntime.engine();
    System.out.printf(Locale.ROOT, "engine start %.2f s%n", (System.nanoTime() - t0) / 1e9);
    Parameters global = plan.initialize(DataSummary.of(data), targs);
    float[] scaled = standardize(data);
    List<Double> fedlink = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    for (int r = -2; r < reps; r++) {
      long a = System.nanoTime();
      plan.train(global, data, targs.withSeed(r + 100));
      double fed = data.rows() / ((System.nanoTime() - a) / 1e9);
      long b = System.nanoTime();
      rawEpoch(engine, scaled, data, r + 100);
      double dj = data.rows() / ((System.nanoTime() - b) / 1e9);
      if (r >= 0) {
        fedlink.add(fed);
        raw.add(dj);
      }
    }
    double f = median(fedlink);
    double d = median(raw);
    System.out.printf(
        Locale.ROOT,
        "cnn epoch on %d digits, median of %d: Fedlink %.0f images/s, DJL alone %.0f images/s"
            + " (Fedlink at %.1f%% of DJL alone)%n",
        data.rows(),
        reps,
        f,
        d,
        100 * f / d);
    System.out.printf(
        Locale.ROOT, "Fedlink runs %s%nDJL runs     %s%n", round(fedlink), round(raw));
  }

  /** The cnn plan's network and loop, directly on DJL, on data standardized once beforehand. */
  private static void rawEpoch(Engine engine, float[] x, Dataset data, long seed) {
    try (Model model = Model.newInstance("raw", Device.cpu(), engine.getEngineName())) {
      SequentialBlock net = org.fedlink.djl.CnnPlan.network(8, 10); // the plan's own network
      model.setBlock(net);
      net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 8, 8));
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.sgd()
                      .setLearningRateTracker(Tracker.fixed(0.05f))
                      .optMomentum(0.9f)
                      .build())
              .optDevices(new Device[] {Device.cpu()});
      int[] order = new int[data.rows()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Random random = new Random(seed);
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      try (Trainer trainer = model.newTrainer(config)) {
        for (int start = 0; start < order.length; start += 32) {
          int n = Math.min(32, order.length - start);
          float[] bx = new float[n * 64];
          float[] by = new float[n];
          for (int i = 0; i < n; i++) {
            System.arraycopy(x, order[start + i] * 64, bx, i * 64, 64);
            by[i] = data.y()[order[start + i]];
          }
          try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray xa = batch.create(bx, new Shape(n, 1, 8, 8));
            NDArray ya = batch.create(by);
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDList out = trainer.forward(new NDList(xa));
              NDArray loss = trainer.getLoss().evaluate(new NDList(ya), out);
              gc.backward(loss);
              loss.getFloat();
            }
            trainer.step();
          }
        }
      }
    }
  }

  private static float[] standardize(Dataset d) {
    DataSummary s = DataSummary.of(d);
    double[] m = s.mean();
    double[] sd = s.std();
    float[] out = new float[d.x().length];
    for (int i = 0; i < out.length; i++) {
      int j = i % d.cols();
      out[i] = (float) ((d.x()[i] - m[j]) / sd[j]);
    }
    return out;
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a[a.length / 2];
  }

  private static String round(List<Double> v) {
    return Arrays.toString(v.stream().mapToLong(Math::round).toArray());
  }
}
