package org.fedlink.bench.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;

/**
 * A training plan that does no learning: "training" adds small seeded noise to every weight, so the
 * cost of a round is the cost of moving and aggregating the update. For end-to-end benchmarks of
 * the aggregation path. Stateless and thread-safe.
 */
final class SyntheticPlan implements TrainingPlan {
  static final String ID = "synthetic";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Parameters initialize(DataSummary summary, TrainingArgs args) {
    throw new UnsupportedOperationException("give the benchmark an initial model");
  }

  @Override
  public LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
    SplittableRandom random = new SplittableRandom(data.rows());
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : global.tensors()) {
      float[] d = t.data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] += (float) (random.nextDouble() - 0.5) * 0.01f;
      }
      out.add(new Tensor(t.name(), t.shape(), d));
    }
    return new LocalUpdate(Parameters.of(out), data.rows(), Map.of("train_loss", 0.0));
  }

  @Override
  public Metrics evaluate(Parameters parameters, Dataset data) {
    return new Metrics(0, 0, data.rows());
  }
}
