package org.fedlink.researcher.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;

class FedAvgTest {
  private final FedAvg fedAvg = new FedAvg();

  private static Parameters model(float w0, float w1, float b) {
    return Parameters.of(
        new Tensor("w", new int[] {1, 2}, new float[] {w0, w1}),
        new Tensor("b", new int[] {1}, new float[] {b}));
  }

  private static Parameters random(Random rnd) {
    return model(
        (float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian());
  }

  @Test
  void weighsEachNodeByItsNumberOfExamples() {
    Parameters global = model(0, 0, 0);
    List<NodeUpdate> updates =
        List.of(
            new NodeUpdate(1, model(1, 10, -1), 10),
            new NodeUpdate(2, model(2, 20, -2), 30),
            new NodeUpdate(3, model(4, 40, 4), 60));

    Parameters next = fedAvg.aggregate(global, updates);

    // (10*1 + 30*2 + 60*4) / 100 = 3.1; b: (-10 - 60 + 240) / 100 = 1.7
    assertThat(next.get("w").data()[0]).isCloseTo(3.1f, within(1e-6f));
    assertThat(next.get("w").data()[1]).isCloseTo(31f, within(1e-5f));
    assertThat(next.get("b").data()[0]).isCloseTo(1.7f, within(1e-6f));
    assertThat(next.get("w").shape()).containsExactly(1, 2);
    global.requireSameLayout(next, "aggregate");
  }

  @Test
  void matchesADoubleReferenceOnSeededRandomUpdates() {
    Random rnd = new Random(77);
    for (int trial = 0; trial < 50; trial++) {
      int k = 1 + rnd.nextInt(8);
      List<NodeUpdate> updates = new ArrayList<>();
      double[] sums = new double[3];
      long total = 0;
      for (int j = 0; j < k; j++) {
        Parameters p = random(rnd);
        long n = rnd.nextInt(1000);
        updates.add(new NodeUpdate(j, p, n));
        sums[0] += n * (double) p.get("w").data()[0];
        sums[1] += n * (double) p.get("w").data()[1];
        sums[2] += n * (double) p.get("b").data()[0];
        total += n;
      }
      if (total == 0) {
        continue;
      }

      Parameters next = fedAvg.aggregate(model(0, 0, 0), updates);

      assertThat((double) next.get("w").data()[0]).isCloseTo(sums[0] / total, within(1e-5));
      assertThat((double) next.get("w").data()[1]).isCloseTo(sums[1] / total, within(1e-5));
      assertThat((double) next.get("b").data()[0]).isCloseTo(sums[2] / total, within(1e-5));
    }
  }

  @Test
  void aNodeWithZeroExamplesDoesNotCount() {
    Parameters next =
        fedAvg.aggregate(
            model(0, 0, 0),
            List.of(new NodeUpdate(1, model(1, 2, 3), 5), new NodeUpdate(2, model(9, 9, 9), 0)));

    assertThat(next).isEqualTo(model(1, 2, 3));
  }

  @Test
  void leavesGlobalAndUpdatesUntouched() {
    Parameters global = model(5, 5, 5);
    Parameters u = model(1, 2, 3);

    Parameters next = fedAvg.aggregate(global, List.of(new NodeUpdate(1, u, 4)));

    assertThat(global).isEqualTo(model(5, 5, 5));
    assertThat(u).isEqualTo(model(1, 2, 3));
    assertThat(next.get("w").data()).isNotSameAs(u.get("w").data());
  }

  @Test
  void refusesAnUpdateWithAnotherLayoutNamingTheNode() {
    Parameters wrong = Parameters.of(new Tensor("w", new int[] {2, 1}, new float[2]));

    assertThatThrownBy(
            () ->
                fedAvg.aggregate(
                    model(0, 0, 0),
                    List.of(new NodeUpdate(1, model(1, 2, 3), 5), new NodeUpdate(7, wrong, 5))))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("update of node 7");
  }

  @Test
  void refusesAnUpdateWithRenamedTensors() {
    Parameters renamed =
        Parameters.of(
            new Tensor("w", new int[] {1, 2}, new float[2]),
            new Tensor("bias", new int[] {1}, new float[1]));

    assertThatThrownBy(
            () -> fedAvg.aggregate(model(0, 0, 0), List.of(new NodeUpdate(3, renamed, 5))))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("update of node 3: tensor 1");
  }

  @Test
  void refusesWhenEveryNodeTrainedOnZeroExamples() {
    assertThatThrownBy(
            () ->
                fedAvg.aggregate(
                    model(0, 0, 0),
                    List.of(
                        new NodeUpdate(1, model(1, 2, 3), 0),
                        new NodeUpdate(2, model(1, 2, 3), 0))))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
        .hasMessage("every node trained on 0 examples; nothing to average");
  }

  @Test
  void refusesAnEmptyRound() {
    assertThatThrownBy(() -> fedAvg.aggregate(model(0, 0, 0), List.of()))
        .isInstanceOfSatisfying(
            FedlinkException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
        .hasMessage("no update to aggregate");
  }

  @Test
  void isNamedFedavgAndSendsNoExtraConfig() {
    assertThat(fedAvg.name()).isEqualTo("fedavg");
    assertThat(fedAvg.trainConfig()).isEmpty();
  }

  @Test
  void nodeUpdateRefusesNegativeExampleCounts() {
    assertThatThrownBy(() -> new NodeUpdate(1, model(0, 0, 0), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new NodeUpdate(1, null, 1)).isInstanceOf(NullPointerException.class);
  }
}
