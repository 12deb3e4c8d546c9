package org.fedlink.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CentralizedTraining;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.DemoDefaults;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.Splits;
import org.fedlink.ml.TrainTestSplit;
import org.fedlink.ml.TrainingArgs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo's cnn settings on the 8x8 digits as 1x8x8 images: federated averaging over three
 * Dirichlet-skewed nodes in process (the demo's protocol without the network) reaches at least 0.95
 * test accuracy, within 2 points of centralized training. Trains for about a minute.
 */
@Tag("djl")
class CnnDigitsTest {

  @Test
  void federatedCnnMatchesCentralizedOnDigits() {
    DemoDefaults d = DemoDefaults.digitsCnn();
    Dataset data = BundledDatasets.load(BundledDatasets.DIGITS);
    TrainTestSplit split =
        Splits.trainTest(data, DemoDefaults.TEST_FRACTION, DemoDefaults.SPLIT_SEED);
    List<Dataset> parts =
        new DirichletPartitioner(DemoDefaults.DIRICHLET_ALPHA, DemoDefaults.SPLIT_SEED)
            .split(split.train(), DemoDefaults.NODES);
    CnnPlan plan = new CnnPlan();
    TrainingArgs args = d.args();
    List<DataSummary> summaries = new ArrayList<>();
    List<Dataset> local = new ArrayList<>();
    for (int n = 0; n < parts.size(); n++) {
      Dataset train =
          Splits.trainTest(
                  parts.get(n), DemoDefaults.VALIDATION_FRACTION, DemoDefaults.SPLIT_SEED + n)
              .train();
      local.add(train);
      summaries.add(DataSummary.of(train));
    }
    long started = System.nanoTime();
    Parameters global = plan.initialize(DataSummary.merge(summaries), args);
    for (int round = 0; round < d.rounds(); round++) {
      List<LocalUpdate> updates = new ArrayList<>();
      for (int n = 0; n < local.size(); n++) {
        updates.add(
            plan.train(global, local.get(n), args.withSeed(args.seed() + 1000L * n + round)));
      }
      global = average(updates);
    }
    Metrics federated = plan.evaluate(global, split.test());
    double fedSeconds = (System.nanoTime() - started) / 1e9;
    Metrics central =
        CentralizedTraining.trainAndEvaluate(plan, split.train(), split.test(), args, d.rounds());
    System.out.printf(
        "cnn digits: federated %.4f (%.1f s), centralized %.4f%n",
        federated.accuracy(), fedSeconds, central.accuracy());
    assertThat(federated.accuracy()).isGreaterThanOrEqualTo(0.95);
    assertThat(federated.accuracy()).isGreaterThanOrEqualTo(central.accuracy() - 0.02);
  }

  static Parameters average(List<LocalUpdate> updates) {
    Parameters first = updates.get(0).parameters();
    long total = updates.stream().mapToLong(LocalUpdate::numExamples).sum();
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
}
