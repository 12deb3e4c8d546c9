package org.fedlink.researcher.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.ControlVariates;
import org.junit.jupiter.api.Test;

/** SCAFFOLD's server step and the node-side variate, by hand. */
class ScaffoldTest {

  private static Parameters model(float a, float b) {
    return Parameters.of(new Tensor("w", new int[] {2}, new float[] {a, b}));
  }

  @Test
  void initializeAppendsZeroVariatesOnce() {
    Scaffold s = new Scaffold(1.0, 1.0);
    Parameters g = s.initialize(model(1, 2));
    assertThat(g.tensors()).extracting(Tensor::name).containsExactly("w", "scaffold.c/w");
    assertThat(g.get("scaffold.c/w").data()).containsExactly(0f, 0f);
    assertThat(s.initialize(g)).isSameAs(g);
    assertThat(ControlVariates.model(g)).isEqualTo(model(1, 2));
  }

  @Test
  void serverStepMovesModelByServerRateAndVariatesBySampledShare() {
    // x = [1,2], c = [0.5,-0.5]; average x = [3,2], average c = [1.5,0.5].
    // eta_g = 0.5: x = [1,2] + 0.5 [2,0] = [2,2]; |S|/N = 0.5: c = c + 0.5 [1,1] = [1,0].
    Parameters global = ControlVariates.join(model(1, 2), model(0.5f, -0.5f));
    Parameters average = ControlVariates.join(model(3, 2), model(1.5f, 0.5f));
    Parameters next = new Scaffold(0.5, 0.5).step(global, average);
    assertThat(next.get("w").data()).containsExactly(2f, 2f);
    assertThat(next.get("scaffold.c/w").data()).containsExactly(1f, 0f);
  }

  @Test
  void aggregateAveragesVariateChangesLikeUpdates() {
    // Two nodes, equal weights: each sends c + delta c_i; the mean carries c + mean delta c_i.
    Parameters global = ControlVariates.join(model(0, 0), model(1, 1));
    List<NodeUpdate> updates =
        List.of(
            new NodeUpdate(1, ControlVariates.join(model(2, 0), model(3, 1)), 5),
            new NodeUpdate(2, ControlVariates.join(model(0, 2), model(1, -1)), 5));
    Parameters next = new Scaffold(1.0, 1.0).aggregate(global, updates);
    assertThat(next.get("w").data()).containsExactly(1f, 1f);
    assertThat(next.get("scaffold.c/w").data()).containsExactly(2f, 0f);
  }

  @Test
  void nodeVariateIsOptionTwoOfThePaper() {
    // c_i+ = c_i - c + (x - y) / (K lr) = [0,1] - [1,1] + ([2,2] - [1,3]) / (2 * 0.25)
    //      = [-1,0] + [2,-2] = [1,-2].
    Parameters next =
        ControlVariates.next(model(0, 1), model(1, 1), model(2, 2), model(1, 3), 2, 0.25);
    assertThat(next.get("w").data()[0]).isCloseTo(1f, within(1e-6f));
    assertThat(next.get("w").data()[1]).isCloseTo(-2f, within(1e-6f));
  }

  @Test
  void refusesBadSettingsAndAModelWithoutVariates() {
    assertThatThrownBy(() -> new Scaffold(0, 1)).hasMessageContaining("must be > 0");
    assertThatThrownBy(() -> new Scaffold(1, 0)).hasMessageContaining("must be in (0, 1]");
    assertThatThrownBy(() -> new Scaffold(1, 1).step(model(1, 1), model(1, 1)))
        .hasMessageContaining("carries no SCAFFOLD control variates");
    assertThatThrownBy(() -> new Scaffold(1, 1).withState(new Scaffold(2, 1).state()))
        .hasMessageContaining("resume with the same settings");
  }
}
