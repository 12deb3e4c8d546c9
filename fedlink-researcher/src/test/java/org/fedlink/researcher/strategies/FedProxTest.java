package org.fedlink.researcher.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.TrainingArgs;
import org.junit.jupiter.api.Test;

class FedProxTest {

  @Test
  void sendsProximalMuToTheNodes() {
    FedProx prox = new FedProx(0.01);

    assertThat(prox.name()).isEqualTo("fedprox");
    assertThat(prox.mu()).isEqualTo(0.01);
    assertThat(prox.trainConfig()).containsExactly(java.util.Map.entry("proximal_mu", "0.01"));
  }

  @Test
  void nodesParseTheSameMu() {
    FedProx prox = new FedProx(0.125);

    TrainingArgs args = TrainingArgs.fromMap(prox.trainConfig());

    assertThat(args.proximalMu()).isEqualTo(0.125);
    assertThat(prox.trainConfig()).containsKey(TrainingArgs.PROXIMAL_MU);
  }

  @Test
  void refusesMuThatIsNotAPositiveNumber() {
    for (double mu :
        new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> new FedProx(mu))
          .isInstanceOfSatisfying(
              FedlinkException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
          .hasMessage("FedProx mu " + mu + " must be a positive number");
    }
  }

  @Test
  void aggregatesLikeFedAvg() {
    Parameters global = Parameters.of(Tensor.zeros("w", 3));
    List<NodeUpdate> updates =
        List.of(
            new NodeUpdate(
                1, Parameters.of(new Tensor("w", new int[] {3}, new float[] {1, 2, 3})), 1),
            new NodeUpdate(
                2, Parameters.of(new Tensor("w", new int[] {3}, new float[] {3, 6, 9})), 3));

    Parameters prox = new FedProx(0.1).aggregate(global, updates);

    assertThat(prox).isEqualTo(new FedAvg().aggregate(global, updates));
    assertThat(prox.get("w").data()).containsExactly(2.5f, 5f, 7.5f);
  }
}
