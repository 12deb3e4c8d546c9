package org.fedlink.researcher.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.LocalPrivacy;
import org.fedlink.researcher.strategies.NodeUpdate;
import org.junit.jupiter.api.Test;

class RoundPrivacyTest {

  private static Parameters vec(float... v) {
    return Parameters.of(new Tensor("w", new int[] {v.length}, v));
  }

  private static DifferentialPrivacy central(double sigma, double clip, boolean adaptive) {
    return new DifferentialPrivacy(
        DifferentialPrivacy.Mode.CENTRAL, sigma, clip, adaptive, 1e-5, Double.POSITIVE_INFINITY);
  }

  @Test
  void centralClipsEachUpdateAndWeighsNodesEqually() {
    // Deltas [3,4] (norm 5) and [0.6,0.8] (norm 1); clip 1: both become [0.6,0.8]; the mean
    // (weights ignored) is [0.6,0.8]; noise 1e-9 * 1 / 2 is below float resolution.
    RoundPrivacy p = new RoundPrivacy(central(1e-9, 1, false), new Random(1));
    Parameters next =
        p.centralMean(
            vec(1, 1),
            List.of(new NodeUpdate(1, vec(4, 5), 100), new NodeUpdate(2, vec(1.6f, 1.8f), 1)));
    assertThat(next.tensors().get(0).data()[0]).isCloseTo(1.6f, within(1e-6f));
    assertThat(next.tensors().get(0).data()[1]).isCloseTo(1.8f, within(1e-6f));
  }

  @Test
  void centralLeavesFrozenTensorsAlone() {
    RoundPrivacy p = new RoundPrivacy(central(1.0, 1, false), new Random(2));
    p.frozenTensors(java.util.Set.of("norm.mean"));
    Parameters global =
        Parameters.of(
            new Tensor("norm.mean", new int[] {2}, new float[] {5f, 6f}),
            new Tensor("w", new int[] {1}, new float[] {0f}));
    Parameters next = p.centralMean(global, List.of(new NodeUpdate(1, global, 1)));
    assertThat(next.get("norm.mean").data()).containsExactly(5f, 6f);
    assertThat(next.get("w").data()[0]).isNotEqualTo(0f);
  }

  @Test
  void centralNoiseHasStandardDeviationSigmaClipOverN() {
    int dim = 200_000;
    RoundPrivacy p = new RoundPrivacy(central(2.0, 0.5, false), new Random(3));
    Parameters zero = vec(new float[dim]);
    Parameters mean =
        p.centralMean(zero, List.of(new NodeUpdate(1, zero, 1), new NodeUpdate(2, zero, 1)));
    double sq = 0;
    for (float v : mean.tensors().get(0).data()) {
      sq += v * v;
    }
    // sigma * clip / n = 2 * 0.5 / 2 = 0.5; 200k samples: within 1 %.
    assertThat(Math.sqrt(sq / dim)).isCloseTo(0.5, within(0.005));
  }

  @Test
  void adaptiveClippingFollowsAndrewEtAl() {
    // Two updates, one under the norm: the noisy share of unclipped is (1 + (2/20) g) / 2, and
    // the norm becomes C exp(-0.2 (share - 0.5)). The same generator gives g after the noise of
    // the two coordinates.
    RoundPrivacy p = new RoundPrivacy(central(1e-9, 1, true), new Random(11));
    p.centralMean(
        vec(0, 0), List.of(new NodeUpdate(1, vec(3, 4), 1), new NodeUpdate(2, vec(0.3f, 0.4f), 1)));
    Random same = new Random(11);
    same.nextGaussian();
    same.nextGaussian();
    double share = (1 + 0.1 * same.nextGaussian()) / 2;
    assertThat(p.clip()).isCloseTo(Math.exp(-0.2 * (share - 0.5)), within(1e-12));
    // Every update under the norm: the norm shrinks (share ~1 > 0.5).
    RoundPrivacy q = new RoundPrivacy(central(1e-9, 10, true), new Random(5));
    for (int r = 0; r < 5; r++) {
      q.centralMean(vec(0), List.of(new NodeUpdate(1, vec(1), 1), new NodeUpdate(2, vec(2), 1)));
    }
    assertThat(q.clip()).isLessThan(10 * Math.exp(-0.2 * 0.4 * 5));
  }

  @Test
  void adaptiveClippingSpendsPartOfTheNoiseOnTheCount() {
    DifferentialPrivacy dp = central(1.0, 1, true);
    // 20 nodes: count noise 1, update noise (1 - 1/4)^-1/2 = 1.1547.
    assertThat(dp.updateNoise(DifferentialPrivacy.countNoise(20)))
        .isCloseTo(1 / Math.sqrt(0.75), within(1e-12));
    // 2 nodes: count noise 0.1 would take more than all of sigma 1.
    assertThatThrownBy(() -> dp.updateNoise(DifferentialPrivacy.countNoise(2)))
        .hasMessageContaining("leaves no noise for the update");
  }

  @Test
  void localTaskConfigGivesEachNodeItsShare() {
    DifferentialPrivacy dp =
        new DifferentialPrivacy(DifferentialPrivacy.Mode.LOCAL, 1.0, 2.0, false, 1e-5, 10);
    Map<String, String> c = new RoundPrivacy(dp).taskConfig(4);
    // sigma * C / sqrt(m) = 1 * 2 / 2 = 1: four shares of variance 1 sum to variance 4 = (sigma
    // C)^2.
    assertThat(c)
        .containsEntry(LocalPrivacy.MODE, "local")
        .containsEntry(LocalPrivacy.CLIP, "2.0")
        .containsEntry(LocalPrivacy.STDDEV, "1.0");
    assertThat(new RoundPrivacy(central(1, 1, false)).taskConfig(4)).isEmpty();
  }

  @Test
  void budgetAndStateCarryOverAResume() {
    DifferentialPrivacy dp =
        new DifferentialPrivacy(DifferentialPrivacy.Mode.CENTRAL, 1.0, 1.0, false, 1e-5, 9.0);
    RoundPrivacy p = new RoundPrivacy(dp);
    // q = 1, sigma = 1: T rounds have RDP T alpha / 2, so epsilon = min over alpha of
    // T alpha / 2 + ln(1e5) / (alpha - 1) = T/2 + sqrt(2 T ln 1e5): 5.30, 7.79, 9.81 for T = 1..3.
    assertThat(p.nextFits(1.0)).isTrue();
    p.account(1.0);
    assertThat(p.nextFits(1.0)).isTrue();
    double two = p.account(1.0);
    RoundPrivacy resumed = new RoundPrivacy(dp);
    resumed.restore(p.state());
    assertThat(resumed.epsilon()).isEqualTo(two);
    assertThat(resumed.rounds()).isEqualTo(2);
    assertThat(two).isCloseTo(1 + Math.sqrt(4 * Math.log(1e5)), within(0.01));
    assertThat(resumed.nextFits(1.0)).isFalse(); // a third round passes 9
    assertThat(resumed.epsilonAfterNext(1.0))
        .isCloseTo(1.5 + Math.sqrt(6 * Math.log(1e5)), within(0.01));
    assertThatThrownBy(() -> resumed.restore(Map.of()))
        .hasMessageContaining("resume it without --dp");
  }

  @Test
  void refusesSettingsThatCannotHold() {
    assertThatThrownBy(
            () -> new DifferentialPrivacy(DifferentialPrivacy.Mode.LOCAL, 1, 1, true, 1e-5, 1.0))
        .hasMessageContaining("--dp-adaptive-clip works with --dp central only");
    assertThatThrownBy(() -> central(0, 1, false))
        .hasMessageContaining("--dp-noise-multiplier 0.0 must be a positive number");
    assertThatThrownBy(() -> central(1, -1, false)).hasMessageContaining("--dp-clip-norm -1.0");
    assertThatThrownBy(() -> DifferentialPrivacy.Mode.parse("global"))
        .hasMessageContaining("--dp global is unknown: use central or local");
  }
}
