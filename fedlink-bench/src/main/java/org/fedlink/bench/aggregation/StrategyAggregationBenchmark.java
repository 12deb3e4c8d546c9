package org.fedlink.bench.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.ControlVariates;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.privacy.RoundPrivacy;
import org.fedlink.researcher.strategies.CoordinateMedian;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.Krum;
import org.fedlink.researcher.strategies.Mean;
import org.fedlink.researcher.strategies.NodeUpdate;
import org.fedlink.researcher.strategies.Scaffold;
import org.fedlink.researcher.strategies.ServerOptimizer;
import org.fedlink.researcher.strategies.TrimmedMean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every strategy's aggregation of 10 updates of 1M floats, beside the plain sum of the same arrays
 * measured in the same run (the memory-bandwidth limit). The server optimizers and SCAFFOLD are
 * timed as the researcher calls them, weighted mean then server step; the DP rows add clipping and
 * Gaussian noise (SecureRandom) to the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
public class StrategyAggregationBenchmark {
  @Param({"10"})
  int updates;

  @Param({"1000000"})
  int size;

  float[][] data;
  float[] out;
  Parameters global;
  Parameters scaffoldGlobal;
  List<NodeUpdate> nodeUpdates;
  List<NodeUpdate> scaffoldUpdates;
  ServerOptimizer fedAvgM;
  ServerOptimizer fedAdagrad;
  ServerOptimizer fedAdam;
  ServerOptimizer fedYogi;
  RoundPrivacy centralDp;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    data = new float[updates][size];
    nodeUpdates = new ArrayList<>();
    scaffoldUpdates = new ArrayList<>();
    int half = size / 2;
    for (int k = 0; k < updates; k++) {
      for (int i = 0; i < size; i++) {
        data[k][i] = (float) r.nextGaussian();
      }
      long weight = 50 + r.nextInt(500);
      nodeUpdates.add(
          new NodeUpdate(k, Parameters.of(new Tensor("w", new int[] {size}, data[k])), weight));
      // SCAFFOLD: the same 1M floats, half model, half control variates.
      float[] m = java.util.Arrays.copyOfRange(data[k], 0, half);
      float[] c = java.util.Arrays.copyOfRange(data[k], half, size);
      scaffoldUpdates.add(
          new NodeUpdate(
              k,
              Parameters.of(
                  new Tensor("w", new int[] {half}, m),
                  new Tensor(ControlVariates.PREFIX + "w", new int[] {half}, c)),
              weight));
    }
    out = new float[size];
    global = Parameters.of(Tensor.zeros("w", size));
    scaffoldGlobal = new Scaffold(1, 1).initialize(Parameters.of(Tensor.zeros("w", half)));
    fedAvgM = ServerOptimizer.fedAvgM(1.0, 0.9);
    fedAdagrad = ServerOptimizer.fedAdagrad(0.01, 0.9, 1e-3);
    fedAdam = ServerOptimizer.fedAdam(0.01, 0.9, 0.99, 1e-3);
    fedYogi = ServerOptimizer.fedYogi(0.01, 0.9, 0.99, 1e-3);
    centralDp =
        new RoundPrivacy(
            new DifferentialPrivacy(
                DifferentialPrivacy.Mode.CENTRAL, 1.0, 1.0, false, 1e-5, Double.POSITIVE_INFINITY));
  }

  /** The memory-bandwidth limit: sum the same arrays with no weights. */
  @Benchmark
  public float[] plainSum() {
    float[] o = out;
    System.arraycopy(data[0], 0, o, 0, size);
    for (int k = 1; k < updates; k++) {
      float[] u = data[k];
      for (int i = 0; i < size; i++) {
        o[i] += u[i];
      }
    }
    return o;
  }

  @Benchmark
  public Parameters fedAvg() {
    return new FedAvg().aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters fedAvgM() {
    return fedAvgM.aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters fedAdagrad() {
    return fedAdagrad.aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters fedAdam() {
    return fedAdam.aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters fedYogi() {
    return fedYogi.aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters scaffold() {
    return new Scaffold(1.0, 1.0).aggregate(scaffoldGlobal, scaffoldUpdates);
  }

  @Benchmark
  public Parameters median() {
    return new CoordinateMedian().aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters trimmedMean() {
    return new TrimmedMean(0.1).aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters krum() {
    return new Krum(2, 1).aggregate(global, nodeUpdates);
  }

  @Benchmark
  public Parameters multiKrum() {
    return new Krum(2, 6).aggregate(global, nodeUpdates);
  }

  /** Central DP: clip each update, equal weights, Gaussian noise from SecureRandom. */
  @Benchmark
  public Parameters fedAvgCentralDp() {
    return centralDp.centralMean(global, nodeUpdates);
  }

  /** Local DP at the researcher: the uniform mean of already-noised updates. */
  @Benchmark
  public Parameters fedAvgLocalDp() {
    return Mean.uniform(global, nodeUpdates);
  }
}
