package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.junit.jupiter.api.Test;

class LocalPrivacyTest {

  private static Parameters vec(float... v) {
    return Parameters.of(new Tensor("w", new int[] {v.length}, v));
  }

  @Test
  void clipsTheChangeNotTheWeights() {
    // Change [3,4] has norm 5; clipped to 1 it is [0.6,0.8], added back to the global [10,10].
    Parameters out = LocalPrivacy.of(1, 0, new Random(1)).privatize(vec(10, 10), vec(13, 14));
    assertThat(out.tensors().get(0).data()[0]).isCloseTo(10.6f, within(1e-5f));
    assertThat(out.tensors().get(0).data()[1]).isCloseTo(10.8f, within(1e-5f));
    // A change already under the norm passes unchanged.
    Parameters small = LocalPrivacy.of(10, 0, new Random(1)).privatize(vec(1, 1), vec(2, 1));
    assertThat(small.tensors().get(0).data()).containsExactly(2f, 1f);
  }

  @Test
  void frozenTensorsKeepTheGlobalValuesAndDoNotCountTowardsTheNorm() {
    Parameters global =
        Parameters.of(
            new Tensor("norm.scale", new int[] {1}, new float[] {2f}),
            new Tensor("w", new int[] {2}, new float[] {0f, 0f}));
    Parameters trained =
        Parameters.of(
            new Tensor("norm.scale", new int[] {1}, new float[] {100f}),
            new Tensor("w", new int[] {2}, new float[] {0.3f, 0.4f}));
    Parameters out =
        LocalPrivacy.of(1, 5.0, new Random(1))
            .privatize(global, trained, java.util.Set.of("norm.scale"));
    assertThat(out.get("norm.scale").data()).containsExactly(2f); // no noise, global value
    assertThat(out.get("w").data()[0]).isNotEqualTo(0.3f); // noised
    assertThat(BuiltinPlans.get("mlp").frozenTensors())
        .containsExactlyInAnyOrder("norm.mean", "norm.scale");
  }

  @Test
  void addsNoiseOfTheGivenStandardDeviation() {
    int dim = 200_000;
    Parameters zero = vec(new float[dim]);
    Parameters out = LocalPrivacy.of(1, 0.25, new Random(9)).privatize(zero, zero);
    double sq = 0;
    for (float v : out.tensors().get(0).data()) {
      sq += v * v;
    }
    assertThat(Math.sqrt(sq / dim)).isCloseTo(0.25, within(0.0025));
  }

  @Test
  void readsTheTaskConfigAndRefusesBadValues() {
    assertThat(LocalPrivacy.fromConfig(Map.of())).isNull();
    assertThat(LocalPrivacy.fromConfig(Map.of(LocalPrivacy.MODE, "central"))).isNull();
    LocalPrivacy p =
        LocalPrivacy.fromConfig(
            Map.of(LocalPrivacy.MODE, "local", LocalPrivacy.CLIP, "2", LocalPrivacy.STDDEV, "0.5"));
    assertThat(p.clip()).isEqualTo(2);
    assertThat(p.stddev()).isEqualTo(0.5);
    assertThatThrownBy(
            () ->
                LocalPrivacy.fromConfig(
                    Map.of(
                        LocalPrivacy.MODE,
                        "local",
                        LocalPrivacy.CLIP,
                        "-1",
                        LocalPrivacy.STDDEV,
                        "1")))
        .hasMessageContaining("dp_clip_norm -1.0 must be a positive number");
    assertThatThrownBy(() -> LocalPrivacy.fromConfig(Map.of(LocalPrivacy.MODE, "local")))
        .hasMessageContaining("needs dp_clip_norm");
    assertThatThrownBy(() -> LocalPrivacy.fromConfig(Map.of(LocalPrivacy.MODE, "shuffle")))
        .hasMessageContaining("'shuffle' is unknown");
  }
}
