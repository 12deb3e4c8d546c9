package org.fedlink.bench.simulation;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.fedlink.core.Parameters;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Splits;
import org.fedlink.ml.TrainTestSplit;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.NodeUpdate;
import org.fedlink.simulation.Partitions;
import org.fedlink.simulation.Simulation;

/**
 * Simulation speed: R rounds of N virtual nodes sampled at fraction F, against the same local work
 * (per sampled node: split, train, evaluate; then FedAvg) done in one plain loop in this JVM, which
 * is the limit. Also prints the heap in use after a full GC at the end of each round (the peak),
 * the figure that must stay under 1 GB for 10,000 virtual nodes.
 *
 * <p>Usage: {@code java -cp fedlink-bench/target/benchmarks.jar
 * org.fedlink.bench.simulation.SimulationSpeedBenchmark [nodes=1000] [fraction=0.1] [rounds=10]
 * [plan=mlp] [epochs=5] [rowsPerNode=50] [skipLoop=false]}
 */
public final class SimulationSpeedBenchmark {
  private SimulationSpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    double fraction = args.length > 1 ? Double.parseDouble(args[1]) : 0.1;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String planName = args.length > 3 ? args[3] : "mlp";
    int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    int rowsPerNode = args.length > 5 ? Integer.parseInt(args[5]) : 50;
    boolean skipLoop = args.length > 6 && Boolean.parseBoolean(args[6]);
    TrainingArgs targs =
        TrainingArgs.fromMap(
            Map.of(TrainingArgs.EPOCHS, Integer.toString(epochs), TrainingArgs.HIDDEN, "64"));
    Dataset data = synthetic(nodes * rowsPerNode);
    String partition = "iid";
    long seed = 42;

    if (!skipLoop) {
      // The same JIT warm-up for the loop as the simulation's first rounds give it.
      plainLoop(data, nodes, fraction, 3, planName, targs, partition, seed);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peakHeap = new AtomicLong();
    Path dir = Files.createTempDirectory("fedlink-bench-sim-");
    long t0 = System.nanoTime();
    ExperimentResult sim =
        Simulation.builder()
            .nodes(nodes)
            .data(data)
            .partition(partition)
            .seed(seed)
            .workDir(dir.resolve("work"))
            .experiment(
                Experiment.builder()
                    .plan(planName)
                    .rounds(rounds)
                    .fraction(fraction)
                    .trainingArgs(targs)
                    .outputDir(dir.resolve("out"))
                    .listener(
                        new ExperimentListener() {
                          @Override
                          public void roundFinished(RoundMetrics m) {
                            if (m.round() % 5 != 0 && m.round() != rounds) {
                              return; // a full GC is slow: sample the heap now and then
                            }
                            System.gc();
                            peakHeap.accumulateAndGet(
                                memory.getHeapMemoryUsage().getUsed(), Math::max);
                          }
                        }))
            .build()
            .run();
    double simTotal = (System.nanoTime() - t0) / 1e9;
    double simRounds = sim.history().stream().mapToDouble(RoundMetrics::seconds).sum();
    System.out.printf(
        Locale.ROOT,
        "simulation: %d nodes, fraction %.3f, %d rounds of %s (%d epochs, %d rows/node):"
            + " rounds %.2f s, total with start and stop %.2f s; final val accuracy %.4f;"
            + " peak heap after GC %d MiB (max heap %d MiB)%n",
        nodes,
        fraction,
        rounds,
        planName,
        epochs,
        rowsPerNode,
        simRounds,
        simTotal,
        sim.last().valAccuracy(),
        peakHeap.get() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    if (skipLoop) {
      return;
    }
    double loop = plainLoop(data, nodes, fraction, rounds, planName, targs, partition, seed);
    System.out.printf(
        Locale.ROOT,
        "plain loop, same local steps: %.2f s; simulation rounds / loop = %.2fx%n",
        loop,
        simRounds / loop);
  }

  /** The limit: each round, each sampled node's split, training and evaluation, then FedAvg. */
  static double plainLoop(
      Dataset data,
      int nodes,
      double fraction,
      int rounds,
      String planName,
      TrainingArgs args,
      String partition,
      long seed) {
    TrainingPlan plan = BuiltinPlans.get(planName);
    List<Dataset> parts = Partitions.parse(partition, seed).split(data, nodes);
    Parameters global = plan.initialize(DataSummary.of(data), args);
    int k = Math.max(1, (int) Math.ceil(fraction * nodes));
    SplittableRandom random = new SplittableRandom(seed);
    FedAvg fedAvg = new FedAvg();
    long t0 = System.nanoTime();
    for (int round = 1; round <= rounds; round++) {
      List<NodeUpdate> updates = new ArrayList<>();
      List<TrainTestSplit> splits = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        TrainTestSplit split = Splits.trainTest(parts.get(random.nextInt(nodes)), 0.2, 42);
        LocalUpdate u = plan.train(global, split.train(), args);
        updates.add(new NodeUpdate(i, u.parameters(), u.numExamples()));
        splits.add(split);
      }
      global = fedAvg.aggregate(global, updates);
      for (TrainTestSplit split : splits) {
        plan.evaluate(global, split.test());
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Ten Gaussian clusters in 32 dimensions, overlapping enough to need training. */
  static Dataset synthetic(int rows) {
    SplittableRandom random = new SplittableRandom(7);
    int cols = 32;
    float[][] centres = new float[10][cols];
    for (float[] c : centres) {
      for (int j = 0; j < cols; j++) {
        c[j] = (float) (random.nextGaussian() * 0.3);
      }
    }
    float[] x = new float[rows * cols];
    int[] y = new int[rows];
    for (int r = 0; r < rows; r++) {
      y[r] = random.nextInt(10);
      for (int j = 0; j < cols; j++) {
        x[r * cols + j] = centres[y[r]][j] + (float) random.nextGaussian();
      }
    }
    return new Dataset(x, y, rows, cols);
  }
}
