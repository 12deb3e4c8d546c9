package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Proves {@link DemoDefaults}: federated averaging over three label-skewed nodes reaches the target
 * test accuracy and stays within two points of centralized training on the same rows.
 */
class FederatedTrainingTest {

  @Test
  void breastCancerLogisticRegressionMatchesCentralizedTraining() {
    FederatedSimulation.Outcome o = simulate(DemoDefaults.breastCancer());
    assertThat(o.federated().accuracy()).isGreaterThanOrEqualTo(0.93);
    assertThat(o.federated().accuracy()).isGreaterThanOrEqualTo(o.centralized().accuracy() - 0.02);
    assertThat(o.centralized().accuracy()).isGreaterThanOrEqualTo(0.93);
    assertThat(o.validationAccuracy()).isGreaterThanOrEqualTo(0.9);
    assertThat(o.federated().count()).isEqualTo(114);
  }

  @Test
  void digitsMlpMatchesCentralizedTraining() {
    FederatedSimulation.Outcome o = simulate(DemoDefaults.digits());
    assertThat(o.federated().accuracy()).isGreaterThanOrEqualTo(0.90);
    assertThat(o.federated().accuracy()).isGreaterThanOrEqualTo(o.centralized().accuracy() - 0.02);
    assertThat(o.centralized().accuracy()).isGreaterThanOrEqualTo(0.90);
    assertThat(o.validationAccuracy()).isGreaterThanOrEqualTo(0.9);
    assertThat(o.federated().count()).isEqualTo(359);
  }

  @Test
  void averageWeighsUpdatesBySampleCount() {
    Parameters a = Parameters.of(new Tensor("w", new int[] {2}, new float[] {1, 10}));
    Parameters b = Parameters.of(new Tensor("w", new int[] {2}, new float[] {4, 40}));
    Parameters avg =
        FederatedSimulation.average(
            List.of(
                new LocalUpdate(a, 1, java.util.Map.of()),
                new LocalUpdate(b, 2, java.util.Map.of())));
    assertThat(avg.get("w").data()).containsExactly(3f, 30f);
  }

  private static FederatedSimulation.Outcome simulate(DemoDefaults d) {
    return FederatedSimulation.run(
        BundledDatasets.load(d.dataset()),
        d.plan(),
        d.args(),
        d.rounds(),
        DemoDefaults.NODES,
        DemoDefaults.DIRICHLET_ALPHA);
  }
}
