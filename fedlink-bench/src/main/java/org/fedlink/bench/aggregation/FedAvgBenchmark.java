package org.fedlink.bench.aggregation;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.NodeUpdate;
import org.fedlink.researcher.strategies.WeightedAverage;
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
 * Weighted FedAvg of 10 updates of 1M floats, beside a plain sum of the same arrays: the plain sum
 * reads the same bytes with the least work, so it is the memory-bandwidth limit the aggregation is
 * measured against.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class FedAvgBenchmark {
  @Param({"10"})
  int updates;

  @Param({"1000000"})
  int size;

  float[][] data;
  double[] weights;
  float[] out;
  Parameters global;
  List<NodeUpdate> nodeUpdates;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    data = new float[updates][size];
    weights = new double[updates];
    NodeUpdate[] nu = new NodeUpdate[updates];
    for (int k = 0; k < updates; k++) {
      for (int i = 0; i < size; i++) {
        data[k][i] = (float) r.nextGaussian();
      }
      weights[k] = 50 + r.nextInt(500);
      nu[k] =
          new NodeUpdate(
              k, Parameters.of(new Tensor("w", new int[] {size}, data[k])), (long) weights[k]);
    }
    out = new float[size];
    global = Parameters.of(Tensor.zeros("w", size));
    nodeUpdates = List.of(nu);
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

  /** The aggregation hot loop into a preallocated array. */
  @Benchmark
  public float[] weightedAverage() {
    WeightedAverage.into(out, data, weights);
    return out;
  }

  /** The whole strategy call as the researcher makes it (allocates the result). */
  @Benchmark
  public Parameters fedAvgStrategy() {
    return new FedAvg().aggregate(global, nodeUpdates);
  }
}
