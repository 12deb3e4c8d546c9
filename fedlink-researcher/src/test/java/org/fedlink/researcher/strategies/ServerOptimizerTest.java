package org.fedlink.researcher.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;

/** Each server optimizer on a step worked out by hand from Reddi et al.'s Algorithm 2. */
class ServerOptimizerTest {

  private static Parameters vec(float... v) {
    return Parameters.of(new Tensor("w", new int[] {v.length}, v));
  }

  private static float[] data(Parameters p) {
    return p.tensors().get(0).data();
  }

  @Test
  void fedAvgMAccumulatesMomentumAcrossRounds() {
    ServerOptimizer o = ServerOptimizer.fedAvgM(1.0, 0.5);
    // Round 1: d = [2,0] - [1,2] = [1,-2]; m = [1,-2]; x = [1,2] + [1,-2] = [2,0].
    Parameters x1 = o.step(vec(1, 2), vec(2, 0));
    assertThat(data(x1)).containsExactly(2f, 0f);
    // Round 2: d = [2,1] - [2,0] = [0,1]; m = 0.5 [1,-2] + [0,1] = [0.5,0]; x = [2.5,0].
    Parameters x2 = o.step(x1, vec(2, 1));
    assertThat(data(x2)).containsExactly(2.5f, 0f);
  }

  @Test
  void fedAdagradHandWorked() {
    // tau 0.5: v starts at 0.25; d = 1.2; m = 0.5 * 1.2 = 0.6; v = 0.25 + 1.44 = 1.69 (sqrt 1.3);
    // x = 0 + 0.3 * 0.6 / (1.3 + 0.5) = 0.1.
    ServerOptimizer o = ServerOptimizer.fedAdagrad(0.3, 0.5, 0.5);
    assertThat(data(o.step(vec(0), vec(1.2f)))[0]).isCloseTo(0.1f, within(1e-6f));
  }

  @Test
  void fedAdamHandWorked() {
    // tau 1: v starts at 1; d = 7; m = 0.5 * 7 = 3.5; v = 0.5 * 1 + 0.5 * 49 = 25 (sqrt 5);
    // x = 0 + 0.6 * 3.5 / (5 + 1) = 0.35.
    ServerOptimizer o = ServerOptimizer.fedAdam(0.6, 0.5, 0.5, 1.0);
    assertThat(data(o.step(vec(0), vec(7)))[0]).isCloseTo(0.35f, within(1e-6f));
  }

  @Test
  void fedYogiHandWorked() {
    // tau 1: v starts at 1; d = 4, d^2 = 16 > v, so v = 1 + 0.5 * 16 = 9 (sqrt 3);
    // m = 0.5 * 4 = 2; x = 10 + 0.2 * 2 / (3 + 1) = 10.1.
    ServerOptimizer o = ServerOptimizer.fedYogi(0.2, 0.5, 0.5, 1.0);
    assertThat(data(o.step(vec(10), vec(14)))[0]).isCloseTo(10.1f, within(1e-5f));
    // Round 2 from 10.1 with average 10.1: d = 0, d^2 = 0 < v = 9 so v = 9 - 0 = 9;
    // m = 0.5 * 2 = 1; x = 10.1 + 0.2 * 1 / 4 = 10.15: momentum keeps moving the model.
    assertThat(data(o.step(vec(10.1f), vec(10.1f)))[0]).isCloseTo(10.15f, within(1e-5f));
  }

  @Test
  void yogiAndAdamDifferWhenTheSecondMomentShrinks() {
    // v = 9 after the first step for both (beta2 0.5 for Adam: 0.5*1 + 0.5*16 = 8.5, so use Yogi
    // only). A small second d: Adam's v decays multiplicatively, Yogi's additively by (1-b2) d^2.
    ServerOptimizer yogi = ServerOptimizer.fedYogi(0.2, 0.0, 0.5, 1.0);
    yogi.step(vec(0), vec(4)); // v = 9
    yogi.step(vec(0), vec(1)); // d^2 = 1 < 9: v = 9 - 0.5 * 1 = 8.5
    Map<String, String> s = yogi.state();
    float[] v = StateCodec.getFloats(s, "v", 1);
    assertThat(v[0]).isEqualTo(8.5f);
  }

  @Test
  void averageThenStepEqualsAggregate() {
    ServerOptimizer a = ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3);
    ServerOptimizer b = ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3);
    Parameters global = vec(1, 2, 3);
    List<NodeUpdate> updates =
        List.of(new NodeUpdate(1, vec(2, 2, 2), 1), new NodeUpdate(2, vec(0, 4, 6), 3));
    Parameters viaAggregate = a.aggregate(global, updates);
    Parameters viaStep = b.step(global, Mean.weighted(global, updates));
    assertThat(data(viaAggregate)).containsExactly(data(viaStep));
  }

  @Test
  void stateRestoresTheMomentsExactly() {
    ServerOptimizer a = ServerOptimizer.fedYogi(0.05, 0.9, 0.99, 1e-3);
    Parameters x = vec(0.5f, -1f, 2f);
    x = a.step(x, vec(1f, -2f, 2.5f));
    x = a.step(x, vec(0.7f, -1.5f, 2.2f));
    ServerOptimizer resumed = ServerOptimizer.fedYogi(0.05, 0.9, 0.99, 1e-3).withState(a.state());
    assertThat(resumed.steps()).isEqualTo(2);
    Parameters next = vec(0.8f, -1.2f, 2.1f);
    assertThat(data(resumed.step(x, next))).containsExactly(data(a.step(x, next)));
  }

  @Test
  void largeModelsSplitTheirStateIntoShortEntries() {
    int n = StateCodec.CHUNK_FLOATS * 2 + 5;
    float[] zeros = new float[n];
    float[] ones = new float[n];
    java.util.Arrays.fill(ones, 1f);
    ServerOptimizer a = ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3);
    a.step(vec(zeros), vec(ones));
    Map<String, String> s = a.state();
    assertThat(s).containsKeys("m.0", "m.1", "m.2", "v.2").doesNotContainKey("m.3");
    assertThat(s.values()).allMatch(v -> v.length() < 65_535);
    assertThat(StateCodec.getFloats(s, "m", n)[n - 1]).isCloseTo(0.1f, within(1e-6f));
  }

  @Test
  void refusesAStateOfOtherHyperparametersAndBadValues() {
    ServerOptimizer a = ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3);
    a.step(vec(0), vec(1));
    assertThatThrownBy(() -> ServerOptimizer.fedAdam(0.2, 0.9, 0.99, 1e-3).withState(a.state()))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("lr was 0.1 in the checkpoint, now 0.2");
    assertThatThrownBy(() -> ServerOptimizer.fedAdam(0, 0.9, 0.99, 1e-3))
        .hasMessageContaining("server learning rate 0.0 must be > 0");
    assertThatThrownBy(() -> ServerOptimizer.fedYogi(0.1, 1.0, 0.99, 1e-3))
        .hasMessageContaining("beta1 1.0 must be in [0, 1)");
    assertThatThrownBy(() -> ServerOptimizer.fedAdagrad(0.1, 0.9, -1))
        .hasMessageContaining("tau -1.0 must be > 0");
  }

  @Test
  void aggregateInOnePassGivesTheFloatsOfMeanThenStep() {
    // Two tensors, one longer than a block of the fused pass, three rounds: every kind's fused
    // aggregate must equal step(global, Mean.weighted(...)) bit for bit, moments included.
    java.util.Random r = new java.util.Random(7);
    for (ServerOptimizer fused :
        List.of(
            ServerOptimizer.fedAvgM(0.5, 0.9),
            ServerOptimizer.fedAdagrad(0.1, 0.9, 1e-3),
            ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3),
            ServerOptimizer.fedYogi(0.1, 0.9, 0.99, 1e-3))) {
      ServerOptimizer twoPass = fused.withState(fused.state());
      Parameters global = random(r);
      for (int round = 0; round < 3; round++) {
        List<NodeUpdate> updates =
            List.of(
                new NodeUpdate(1, random(r), 10),
                new NodeUpdate(2, random(r), 3),
                new NodeUpdate(3, random(r), 7));
        Parameters a = fused.aggregate(global, updates);
        Parameters b = twoPass.step(global, Mean.weighted(global, updates));
        assertThat(a).as(fused.name() + " round " + round).isEqualTo(b);
        global = a;
      }
      assertThat(fused.state()).isEqualTo(twoPass.state());
    }
  }

  private static Parameters random(java.util.Random r) {
    float[] big = new float[5000];
    float[] small = new float[3];
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < small.length; i++) {
      small[i] = (float) r.nextGaussian();
    }
    return Parameters.of(
        new Tensor("w", new int[] {50, 100}, big), new Tensor("b", new int[] {3}, small));
  }
}
