package org.fedlink.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.Tensor;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every secure-aggregation scheme in a simulation, checked against the plain simulation of the same
 * seed: the same sample and the same injected dropouts each round, so the secure model after a
 * round is the plain one within the quantization bound of docs/secure-aggregation-schemes.md (16
 * value bits over [-3, 3]: 3 / (2^15 - 1) / 2 = 4.6e-5 per value), plus float rounding.
 */
class SecureSimulationTest {
  /** The quantization bound with the default clipping range and value bits, plus float rounding. */
  static final double BOUND = 3.0 / ((1 << 15) - 1) / 2 + 2e-6;

  @TempDir Path dir;

  private final List<String> info = new ArrayList<>();

  private ExperimentResult simulate(
      String name,
      SecureAggregation secure,
      int nodes,
      double fraction,
      int minNodes,
      double dropout,
      int rounds) {
    return Simulation.builder()
        .nodes(nodes)
        .dataset("digits")
        .partition("iid")
        .dropoutRate(dropout)
        .concurrency(2)
        .seed(11)
        .workDir(dir.resolve(name + "-work"))
        .experiment(
            Experiment.builder()
                .rounds(rounds)
                .fraction(fraction)
                .minNodes(minNodes)
                .secureAggregation(secure)
                .listener(
                    new ExperimentListener() {
                      @Override
                      public void info(String message) {
                        info.add(message);
                      }
                    })
                .outputDir(dir.resolve(name)))
        .build()
        .run();
  }

  @Test
  void lomAndSecAggPlusGiveThePlainModelWithinTheQuantizationBound() {
    ExperimentResult plain = simulate("plain", null, 30, 0.3, 2, 0, 1);
    for (SecureAggregation s : List.of(SecureAggregation.lom(), SecureAggregation.secAggPlus())) {
      ExperimentResult secure = simulate(s.scheme(), s, 30, 0.3, 2, 0, 1);
      assertThat(secure.last().nodes()).as(s.scheme()).isEqualTo(9);
      assertThat(maxDifference(plain.model(), secure.model())).as(s.scheme()).isLessThan(BOUND);
    }
    // every sampled node signed its keys with a certificate of its own; nobody else made one
    assertThat(dir.resolve("lom-work/mpc")).isDirectoryContaining(p -> true);
    assertThat(dir.resolve("lom-work/mpc").toFile().list()).hasSize(9);
    assertThat(dir.resolve("plain-work/mpc")).doesNotExist();
  }

  @Test
  void secAggPlusSurvivesDropoutsAtEveryStageAndMatchesThePlainRunWithTheSameDropouts() {
    ExperimentResult plain = simulate("plain", null, 40, 0.5, 2, 0.25, 1);
    ExperimentResult secure =
        simulate("secagg", SecureAggregation.secAggPlus(), 40, 0.5, 2, 0.25, 1);
    RoundMetrics p = plain.last();
    RoundMetrics s = secure.last();
    assertThat(p.dropped()).isNotEmpty();
    // the same nodes dropped out, though at different stages of the SecAgg+ round
    assertThat(s.dropped()).hasSameSizeAs(p.dropped()).allMatch(m -> m.contains("(simulated)"));
    assertThat(s.nodes()).isEqualTo(p.nodes()).isEqualTo(20 - p.dropped().size());
    assertThat(s.dropped()).anyMatch(m -> m.contains("after sharing its keys"));
    assertThat(info).anyMatch(m -> m.contains("SecAgg+ removed the masks of nodes"));
    assertThat(maxDifference(plain.model(), secure.model())).isLessThan(BOUND);
    // the masks of the nodes that dropped are removed exactly: the same model again, bit for bit
    ExperimentResult again =
        simulate("secagg2", SecureAggregation.secAggPlus(), 40, 0.5, 2, 0.25, 1);
    assertThat(ParametersCodec.encode(again.model()))
        .isEqualTo(ParametersCodec.encode(secure.model()));
  }

  @Test
  void secAggPlusBelowItsThresholdFailsTheRoundAndTheSimulationGoesOn() {
    // 3 holders per secret, 2 needed: half the nodes dropping leaves some secrets short
    ExperimentResult r =
        simulate("short", SecureAggregation.secAggPlus().numShares(3), 20, 1, 2, 0.5, 3);
    assertThat(r.history()).hasSize(3);
    assertThat(r.history()).anyMatch(m -> m.nodes() == 0 && !m.dropped().isEmpty());
    assertThat(info).anyMatch(m -> m.contains("are needed") && m.contains("the run goes on"));
  }

  @Test
  void lomFailsTheRoundsANodeDropsOutOfAndGoesOnRepeatingExactly() {
    // With --min-nodes equal to the sample, a plain round fails where LOM's does: the same rounds
    // keep their model in both.
    ExperimentResult plain = simulate("plain", null, 30, 0.2, 6, 0.12, 5);
    ExperimentResult lom = simulate("lom", SecureAggregation.lom(), 30, 0.2, 6, 0.12, 5);
    ExperimentResult again = simulate("lom2", SecureAggregation.lom(), 30, 0.2, 6, 0.12, 5);

    List<Integer> nodes = lom.history().stream().map(RoundMetrics::nodes).toList();
    assertThat(nodes).isEqualTo(plain.history().stream().map(RoundMetrics::nodes).toList());
    assertThat(nodes).contains(0, 6); // some rounds failed, some completed
    for (RoundMetrics m : lom.history()) {
      if (m.nodes() == 0) {
        assertThat(m.dropped())
            .isNotEmpty()
            .allMatch(d -> d.contains("dropped out of round " + m.round() + " (simulated)"));
      }
    }
    assertThat(info).anyMatch(m -> m.contains("train failed") && m.contains("the run goes on"));
    assertThat(lom.last().valAccuracy()).isCloseTo(plain.last().valAccuracy(), within(0.05));
    // masks cancel exactly: the same seed gives the same model, bit for bit
    assertThat(ParametersCodec.encode(again.model()))
        .isEqualTo(ParametersCodec.encode(lom.model()));
  }

  @Test
  void joyeLibertOnAFewNodesGivesThePlainModelAndGoesOnAfterADropout() throws Exception {
    SecureAggregation jl =
        SecureAggregation.joyeLibert().biprime(Biprime.defaultBiprime(1024)); // faster, weaker
    ExperimentResult plain = simulate("plain", null, 3, 1, 3, 0, 1);
    ExperimentResult secure = simulate("jl", jl, 3, 1, 3, 0, 1);
    assertThat(secure.last().nodes()).isEqualTo(3);
    assertThat(maxDifference(plain.model(), secure.model())).isLessThan(BOUND);

    ExperimentResult dropped = simulate("jl-drop", jl, 3, 1, 3, 0.3, 3);
    assertThat(dropped.history()).hasSize(3);
    assertThat(dropped.history()).anyMatch(m -> m.nodes() == 0 && !m.dropped().isEmpty());
    assertThat(dropped.history()).anyMatch(m -> m.nodes() == 3);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  static double maxDifference(Parameters a, Parameters b) {
    double max = 0;
    for (int t = 0; t < a.tensors().size(); t++) {
      Tensor x = a.tensors().get(t);
      Tensor y = b.tensors().get(t);
      assertThat(y.name()).isEqualTo(x.name());
      for (int i = 0; i < x.data().length; i++) {
        max = Math.max(max, Math.abs(x.data()[i] - y.data()[i]));
      }
    }
    return max;
  }
}
