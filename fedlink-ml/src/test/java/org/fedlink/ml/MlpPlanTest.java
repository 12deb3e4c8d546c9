package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;

class MlpPlanTest {
  private static final DataSummary SUMMARY = DataSummary.of(TestData.blobs(40, 5, 4, 1));

  @Test
  void buildsOneLayerPerHiddenSizePlusTheOutput() {
    TrainingArgs args = new TrainingArgs(1, 8, 0.1, "adam", 0, 0, 3, new int[] {16, 8});
    Parameters p = new MlpPlan().initialize(SUMMARY, args);
    assertThat(p.tensors())
        .extracting(Tensor::name)
        .containsExactly(
            "norm.mean",
            "norm.scale",
            "layer0.weight",
            "layer0.bias",
            "layer1.weight",
            "layer1.bias",
            "layer2.weight",
            "layer2.bias");
    assertThat(p.get("layer0.weight").shape()).containsExactly(16, 5);
    assertThat(p.get("layer1.weight").shape()).containsExactly(8, 16);
    assertThat(p.get("layer2.weight").shape()).containsExactly(4, 8);
    assertThat(p.get("layer1.bias").data()).containsOnly(0f);
  }

  @Test
  void initialWeightsFollowHeScaleAndTheSeed() {
    TrainingArgs args = new TrainingArgs(1, 8, 0.1, "sgd", 0.9, 0, 3, new int[] {400});
    Parameters p = new MlpPlan().initialize(SUMMARY, args);
    double hidden = rms(p.get("layer0.weight").data());
    double output = rms(p.get("layer1.weight").data());
    assertThat(hidden).isCloseTo(Math.sqrt(2.0 / 5), org.assertj.core.data.Offset.offset(0.05));
    assertThat(output).isCloseTo(Math.sqrt(2.0 / 404), org.assertj.core.data.Offset.offset(0.01));
    assertThat(new MlpPlan().initialize(SUMMARY, args.withSeed(4))).isNotEqualTo(p);
  }

  @Test
  void adamTrainsTooAndAnMlpWithoutHiddenLayersIsLogisticRegression() {
    Dataset data = TestData.blobs(90, 5, 3, 2);
    TrainingArgs adam = new TrainingArgs(5, 8, 0.01, "adam", 0, 0, 3, new int[0]);
    MlpPlan plan = new MlpPlan();
    Parameters p = plan.initialize(DataSummary.of(data), adam);
    assertThat(p.tensors()).hasSize(4);
    Parameters trained = plan.train(p, data, adam).parameters();
    assertThat(plan.evaluate(trained, data).accuracy()).isGreaterThan(0.9);
    assertThat(new LogisticRegressionPlan().evaluate(trained, data))
        .isEqualTo(plan.evaluate(trained, data));
  }

  private static double rms(float[] a) {
    double s = 0;
    for (float v : a) {
      s += v * (double) v;
    }
    return Math.sqrt(s / a.length);
  }
}
