package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.internal.FeedForward;
import org.fedlink.ml.internal.NetworkParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every built-in plan must have. */
class BuiltinPlanContractTest {
  private static final Dataset DATA = TestData.blobs(120, 6, 3, 1);
  private static final TrainingArgs ARGS =
      new TrainingArgs(1, 16, 0.05, "sgd", 0.9, 0.0, 42, new int[] {8});

  static Stream<TrainingPlan> plans() {
    return BuiltinPlans.ids().stream().map(BuiltinPlans::get);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void lossDecreasesWithTraining(TrainingPlan plan) {
    Parameters p = plan.initialize(DataSummary.of(DATA), ARGS);
    double before = plan.evaluate(p, DATA).loss();
    LocalUpdate u = null;
    for (int round = 0; round < 3; round++) {
      u = plan.train(p, DATA, ARGS);
      p = u.parameters();
    }
    Metrics after = plan.evaluate(p, DATA);
    assertThat(after.loss()).isLessThan(before * 0.5);
    assertThat(after.accuracy()).isGreaterThan(0.9);
    assertThat(after.count()).isEqualTo(120);
    assertThat(u.numExamples()).isEqualTo(120);
    assertThat(u.metrics().get("train_loss")).isPositive().isLessThan(before);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void trainingIsDeterministicForASeed(TrainingPlan plan) {
    Parameters p0 = plan.initialize(DataSummary.of(DATA), ARGS);
    Parameters again = plan.initialize(DataSummary.of(DATA), ARGS);
    assertThat(again).isEqualTo(p0);
    Parameters a = plan.train(p0, DATA, ARGS).parameters();
    Parameters b = plan.train(again, DATA, ARGS).parameters();
    Parameters other = plan.train(p0, DATA, ARGS.withSeed(43)).parameters();
    assertThat(a).isEqualTo(b);
    assertThat(other).isNotEqualTo(a);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void trainingLeavesNormTensorsAndGlobalModelUnchanged(TrainingPlan plan) {
    Parameters global = plan.initialize(DataSummary.of(DATA), ARGS);
    Parameters snapshot = global.copy();
    Parameters trained = plan.train(global, DATA, ARGS).parameters();
    assertThat(global).isEqualTo(snapshot);
    assertThat(trained.get(BuiltinPlans.NORM_MEAN)).isEqualTo(global.get(BuiltinPlans.NORM_MEAN));
    assertThat(trained.get(BuiltinPlans.NORM_SCALE)).isEqualTo(global.get(BuiltinPlans.NORM_SCALE));
    assertThat(trained.get("layer0.weight")).isNotEqualTo(global.get("layer0.weight"));
    global.requireSameLayout(trained, "trained model");
  }

  @ParameterizedTest
  @MethodSource("plans")
  void normTensorsStandardizeWithTheSummary(TrainingPlan plan) {
    DataSummary s = DataSummary.of(DATA);
    Parameters p = plan.initialize(s, ARGS);
    float[] mean = p.get(BuiltinPlans.NORM_MEAN).data();
    float[] scale = p.get(BuiltinPlans.NORM_SCALE).data();
    for (int j = 0; j < DATA.cols(); j++) {
      assertThat(mean[j]).isEqualTo((float) s.mean()[j]);
      assertThat(scale[j]).isEqualTo((float) (1 / s.std()[j]));
    }
    assertThat(BuiltinPlans.isTrainable(BuiltinPlans.NORM_MEAN)).isFalse();
    assertThat(BuiltinPlans.isTrainable("layer0.weight")).isTrue();
  }

  @ParameterizedTest
  @MethodSource("plans")
  void proximalTermPullsTowardsTheGlobalModel(TrainingPlan plan) {
    TrainingArgs many = new TrainingArgs(5, 16, 0.05, "sgd", 0.9, 0.0, 42, new int[] {8});
    Parameters global = plan.initialize(DataSummary.of(DATA), many);
    double free = distance(plan.train(global, DATA, many).parameters(), global);
    double weak = distance(plan.train(global, DATA, many.withProximalMu(0.1)).parameters(), global);
    double strong = distance(plan.train(global, DATA, many.withProximalMu(5)).parameters(), global);
    assertThat(weak).isLessThan(free);
    assertThat(strong).isLessThan(weak * 0.5).isPositive();
  }

  @ParameterizedTest
  @MethodSource("plans")
  void oneFullBatchStepFollowsTheMeanGradient(TrainingPlan plan) {
    TrainingArgs step = new TrainingArgs(1, 1000, 0.01, "sgd", 0.0, 0.0, 42, new int[] {8});
    Parameters global = plan.initialize(DataSummary.of(DATA), step);
    FeedForward net = NetworkParameters.read(global);
    double[] grad = new double[net.theta().length];
    for (int r = 0; r < DATA.rows(); r++) {
      net.accumulate(DATA.x(), r, DATA.y()[r], grad);
    }
    double[] theta = net.theta();
    for (int i = 0; i < theta.length; i++) {
      theta[i] -= 0.01 * grad[i] / DATA.rows();
    }
    Parameters expected = NetworkParameters.write(net);
    Parameters trained = plan.train(global, DATA, step).parameters();
    for (int t = 0; t < expected.tensors().size(); t++) {
      assertThat(trained.tensors().get(t).data())
          .containsExactly(
              expected.tensors().get(t).data(), org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @ParameterizedTest
  @MethodSource("plans")
  void rejectsDataWithOtherFeatures(TrainingPlan plan) {
    Parameters p = plan.initialize(DataSummary.of(DATA), ARGS);
    Dataset wide = TestData.blobs(10, 7, 3, 2);
    assertThatThrownBy(() -> plan.train(p, wide, ARGS))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("expects 6 features but the data has 7");
    assertThatThrownBy(() -> plan.evaluate(p, wide)).isInstanceOf(FedlinkException.class);
  }

  @ParameterizedTest
  @MethodSource("plans")
  void rejectsLabelsOutsideTheModel(TrainingPlan plan) {
    Parameters p = plan.initialize(DataSummary.of(DATA), ARGS);
    Dataset fourClasses = TestData.blobs(10, 6, 4, 2);
    assertThatThrownBy(() -> plan.train(p, fourClasses, ARGS))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("label 3 at row 3 is outside the model's classes 0..2");
  }

  @ParameterizedTest
  @MethodSource("plans")
  void rejectsEmptyTrainingDataButEvaluatesIt(TrainingPlan plan) {
    Parameters p = plan.initialize(DataSummary.of(DATA), ARGS);
    Dataset empty = new Dataset(new float[0], new int[0], 0, 6);
    assertThatThrownBy(() -> plan.train(p, empty, ARGS))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("no rows");
    assertThat(plan.evaluate(p, empty)).isEqualTo(new Metrics(0, 0, 0));
  }

  @ParameterizedTest
  @MethodSource("plans")
  void binaryDataWithOneClassSeenStillGetsTwoOutputs(TrainingPlan plan) {
    Dataset oneClass = new Dataset(new float[] {1, 2, 3}, new int[] {0, 0, 0}, 3, 1);
    Parameters p = plan.initialize(DataSummary.of(oneClass), ARGS);
    Tensor bias = p.get(plan instanceof MlpPlan ? "layer1.bias" : "layer0.bias");
    assertThat(bias.shape()).containsExactly(2);
    assertThatThrownBy(
            () ->
                plan.initialize(DataSummary.of(new Dataset(new float[0], new int[0], 0, 1)), ARGS))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @ParameterizedTest
  @MethodSource("plans")
  void refusesToReturnADivergedModel(TrainingPlan plan) {
    TrainingArgs wild = new TrainingArgs(5, 4, 1e6, "sgd", 0.99, 0.0, 42, new int[] {8});
    Dataset far = TestData.blobs(60, 6, 3, 3);
    float[] x = far.x().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= 1e30f;
    }
    Dataset huge = new Dataset(x, far.y(), far.rows(), far.cols());
    Parameters p = plan.initialize(DataSummary.of(DATA), wild);
    assertThatThrownBy(() -> plan.train(p, huge, wild))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TASK_FAILED))
        .hasMessageContaining("diverged")
        .hasMessageContaining("learning_rate (now 1000000.0)");
  }

  private static double distance(Parameters a, Parameters b) {
    double d = 0;
    for (int t = 0; t < a.tensors().size(); t++) {
      float[] x = a.tensors().get(t).data();
      float[] y = b.tensors().get(t).data();
      for (int i = 0; i < x.length; i++) {
        d += (x[i] - y[i]) * (double) (x[i] - y[i]);
      }
    }
    return Math.sqrt(d);
  }
}
