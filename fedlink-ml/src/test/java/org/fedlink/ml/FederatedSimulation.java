package org.fedlink.ml;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * In-process federated averaging over simulated nodes, the protocol the demo runs over the network:
 * a stratified 80/20 train/test split, Dirichlet label skew over the nodes, each node keeping 20%
 * of its part for validation, a global model initialized from the merged summaries and averaged by
 * sample count after every round.
 */
final class FederatedSimulation {

  /** Test accuracy of the federated model, the centralized baseline and the nodes' validation. */
  record Outcome(Metrics federated, Metrics centralized, double validationAccuracy) {}

  private FederatedSimulation() {}

  /** Sample-weighted average of the updates' parameters (FedAvg), computed in double. */
  static Parameters average(List<LocalUpdate> updates) {
    Parameters first = updates.get(0).parameters();
    long total = 0;
    for (LocalUpdate u : updates) {
      first.requireSameLayout(u.parameters(), "update");
      total += u.numExamples();
    }
    List<Tensor> out = new ArrayList<>();
    for (int t = 0; t < first.tensors().size(); t++) {
      Tensor shape = first.tensors().get(t);
      double[] sum = new double[shape.size()];
      for (LocalUpdate u : updates) {
        float[] v = u.parameters().tensors().get(t).data();
        double w = (double) u.numExamples() / total;
        for (int i = 0; i < sum.length; i++) {
          sum[i] += w * v[i];
        }
      }
      float[] avg = new float[sum.length];
      for (int i = 0; i < avg.length; i++) {
        avg[i] = (float) sum[i];
      }
      out.add(new Tensor(shape.name(), shape.shape().clone(), avg));
    }
    return Parameters.of(out);
  }

  static Outcome run(
      Dataset data, TrainingPlan plan, TrainingArgs args, int rounds, int nodes, double alpha) {
    return run(data, plan, args, rounds, nodes, alpha, DemoDefaults.SPLIT_SEED);
  }

  static Outcome run(
      Dataset data,
      TrainingPlan plan,
      TrainingArgs args,
      int rounds,
      int nodes,
      double alpha,
      long seed) {
    TrainTestSplit split = Splits.trainTest(data, DemoDefaults.TEST_FRACTION, seed);
    List<Dataset> parts = new DirichletPartitioner(alpha, seed).split(split.train(), nodes);
    List<TrainTestSplit> local = new ArrayList<>();
    List<DataSummary> summaries = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      TrainTestSplit s = Splits.trainTest(parts.get(n), DemoDefaults.VALIDATION_FRACTION, seed + n);
      local.add(s);
      summaries.add(DataSummary.of(s.train()));
    }
    Parameters global = plan.initialize(DataSummary.merge(summaries), args);
    for (int round = 0; round < rounds; round++) {
      List<LocalUpdate> updates = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        TrainingArgs nodeArgs = args.withSeed(args.seed() + 1000L * n + round);
        updates.add(plan.train(global, local.get(n).train(), nodeArgs));
      }
      global = average(updates);
    }
    double correct = 0;
    long count = 0;
    for (TrainTestSplit s : local) {
      Metrics m = plan.evaluate(global, s.test());
      correct += m.accuracy() * m.count();
      count += m.count();
    }
    Metrics centralized =
        CentralizedTraining.trainAndEvaluate(plan, union(local), split.test(), args, rounds);
    return new Outcome(plan.evaluate(global, split.test()), centralized, correct / count);
  }

  static Dataset union(List<TrainTestSplit> local) {
    int rows = 0;
    int cols = local.get(0).train().cols();
    for (TrainTestSplit s : local) {
      rows += s.train().rows();
    }
    float[] x = new float[rows * cols];
    int[] y = new int[rows];
    int r = 0;
    for (TrainTestSplit s : local) {
      Dataset d = s.train();
      System.arraycopy(d.x(), 0, x, r * cols, d.x().length);
      System.arraycopy(d.y(), 0, y, r, d.rows());
      r += d.rows();
    }
    return new Dataset(x, y, rows, cols);
  }
}
