package org.fedlink.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.junit.jupiter.api.Test;

/** The cnn plan on the real PyTorch engine: quick checks of its contract. */
class CnnPlanTest {
  private static final TrainingArgs ARGS =
      new TrainingArgs(1, 32, 0.05, "sgd", 0.9, 0.0, 42L, new int[0]);

  private static Dataset digits(int rows) {
    Dataset all = BundledDatasets.load(BundledDatasets.DIGITS);
    int[] idx = new int[rows];
    for (int i = 0; i < rows; i++) {
      idx[i] = i;
    }
    return all.select(idx);
  }

  @Test
  void isABuiltinPlanFoundOnTheClassPath() {
    assertThat(BuiltinPlans.ids()).contains(CnnPlan.ID);
    assertThat(BuiltinPlans.get("cnn")).isInstanceOf(CnnPlan.class);
  }

  @Test
  void initializeIsDeterministicAndNamesDjlParameters() {
    Dataset d = digits(100);
    Parameters a = new CnnPlan().initialize(DataSummary.of(d), ARGS);
    Parameters b = new CnnPlan().initialize(DataSummary.of(d), ARGS);
    assertThat(a).isEqualTo(b);
    List<String> names = a.tensors().stream().map(Tensor::name).toList();
    assertThat(names.get(0)).isEqualTo("norm.mean");
    assertThat(names.get(1)).isEqualTo("norm.scale");
    assertThat(a.tensors().get(2).shape()).containsExactly(16, 1, 3, 3);
    assertThat(a.tensors().get(a.tensors().size() - 1).shape()).containsExactly(10);
    assertThat(new CnnPlan().initialize(DataSummary.of(d), ARGS.withSeed(7))).isNotEqualTo(a);
  }

  @Test
  void aRoundTripThroughLibtorchChangesNoBit() {
    Dataset d = digits(64);
    Parameters init = new CnnPlan().initialize(DataSummary.of(d), ARGS);
    // Values no training would make: extremes, subnormals, negative zero.
    List<Tensor> odd = new ArrayList<>();
    int k = 0;
    for (Tensor t : init.tensors()) {
      float[] v = t.data().clone();
      if (k++ >= 2) {
        for (int i = 0; i < v.length; i++) {
          v[i] =
              switch (i % 5) {
                case 0 -> Float.MIN_VALUE;
                case 1 -> -0.0f;
                case 2 -> 1e30f;
                case 3 -> -3.3333333f;
                default -> Math.nextUp(1f);
              };
        }
      }
      odd.add(new Tensor(t.name(), t.shape(), v));
    }
    Parameters model = Parameters.of(odd);
    // Zero epochs is not allowed, so compare what evaluate loaded: export after load only.
    Parameters back = new CnnPlan().roundTrip(model);
    for (int i = 0; i < model.tensors().size(); i++) {
      float[] x = model.tensors().get(i).data();
      float[] y = back.tensors().get(i).data();
      for (int j = 0; j < x.length; j++) {
        assertThat(Float.floatToRawIntBits(y[j])).isEqualTo(Float.floatToRawIntBits(x[j]));
      }
    }
    assertThat(back).isEqualTo(model);
  }

  @Test
  void trainingLowersTheLossAndKeepsTheLayout() {
    Dataset d = digits(256);
    CnnPlan plan = new CnnPlan();
    Parameters init = plan.initialize(DataSummary.of(d), ARGS);
    Metrics before = plan.evaluate(init, d);
    LocalUpdate u = plan.train(init, d, ARGS.withProximalMu(0));
    init.requireSameLayout(u.parameters(), "trained model");
    assertThat(u.numExamples()).isEqualTo(256);
    assertThat(u.metrics()).containsKey("train_loss");
    Metrics after = plan.evaluate(u.parameters(), d);
    assertThat(after.loss()).isLessThan(before.loss());
    assertThat(u.parameters().get("norm.mean")).isEqualTo(init.get("norm.mean"));
    // The global model is not modified.
    assertThat(plan.initialize(DataSummary.of(d), ARGS)).isEqualTo(init);
  }

  @Test
  void fedProxPullsTheUpdateTowardsTheGlobalModel() {
    Dataset d = digits(256);
    CnnPlan plan = new CnnPlan();
    Parameters init = plan.initialize(DataSummary.of(d), ARGS);
    double free = distance(init, plan.train(init, d, ARGS).parameters());
    double prox = distance(init, plan.train(init, d, ARGS.withProximalMu(5.0)).parameters());
    assertThat(prox).isLessThan(free * 0.9);
  }

  @Test
  void aModelOfAnotherLayoutIsRefusedNamingTheTensor() {
    Dataset d = digits(64);
    Parameters init = new CnnPlan().initialize(DataSummary.of(d), ARGS);
    List<Tensor> t = new ArrayList<>(init.tensors());
    t.set(2, new Tensor("01Conv2d_weight", new int[] {8, 1, 3, 3}, new float[72]));
    assertThatThrownBy(() -> new CnnPlan().evaluate(Parameters.of(t), d))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("[8, 1, 3, 3]")
        .hasMessageContaining("does not match the network's parameter");
  }

  @Test
  void featuresThatAreNoSquareImageAreRefused() {
    Dataset d = new Dataset(new float[10], new int[] {0, 1}, 2, 5);
    assertThatThrownBy(() -> new CnnPlan().initialize(DataSummary.of(d), ARGS))
        .hasMessageContaining("5 features are neither a square grayscale image");
  }

  private static double distance(Parameters a, Parameters b) {
    double s = 0;
    for (int i = 2; i < a.tensors().size(); i++) {
      float[] x = a.tensors().get(i).data();
      float[] y = b.tensors().get(i).data();
      for (int j = 0; j < x.length; j++) {
        s += (x[j] - y[j]) * (double) (x[j] - y[j]);
      }
    }
    return Math.sqrt(s);
  }
}
