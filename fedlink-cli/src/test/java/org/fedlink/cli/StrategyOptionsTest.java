package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.strategies.Krum;
import org.fedlink.researcher.strategies.ServerOptimizer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The run command's strategy, sampling and DP flags, and their return from a checkpoint. */
class StrategyOptionsTest {

  private static RunCommand.ExperimentOptions parse(String... args) {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.experiment;
  }

  @Test
  void everyStrategyNameBuildsItsStrategyWithItsFlags() {
    for (String name : Strategies.NAMES.split(",\\s*")) {
      assertThat(parse("--strategy", name, "--min-nodes", "5").strategy().name()).isEqualTo(name);
    }
    ServerOptimizer yogi =
        (ServerOptimizer)
            parse("--strategy", "fedyogi", "--server-lr", "0.03", "--tau", "0.01").strategy();
    assertThat(yogi.hyperparameters())
        .containsEntry("server_lr", "0.03")
        .containsEntry("tau", "0.01")
        .containsEntry("beta2", "0.99");
    Krum multi =
        (Krum) parse("--strategy", "multi-krum", "--min-nodes", "7", "--byzantine", "2").strategy();
    assertThat(multi.m()).isEqualTo(5); // n - f of --min-nodes
    assertThatThrownBy(() -> parse("--strategy", "fedsgd").strategy())
        .hasMessageContaining("--strategy fedsgd is unknown: use fedavg, fedprox");
  }

  @Test
  void dpFlagsBuildTheSettingsAndNeedEachOther() {
    DifferentialPrivacy dp =
        parse(
                "--dp",
                "local",
                "--dp-noise-multiplier",
                "1.1",
                "--dp-clip-norm",
                "0.5",
                "--dp-epsilon-budget",
                "8")
            .privacy();
    assertThat(dp.mode()).isEqualTo(DifferentialPrivacy.Mode.LOCAL);
    assertThat(dp.noiseMultiplier()).isEqualTo(1.1);
    assertThat(dp.clipNorm()).isEqualTo(0.5);
    assertThat(dp.delta()).isEqualTo(1e-5);
    assertThat(dp.epsilonBudget()).isEqualTo(8);
    assertThat(parse().privacy()).isNull();
    assertThatThrownBy(() -> parse("--dp-epsilon-budget", "3").privacy())
        .hasMessageContaining("--dp-epsilon-budget needs --dp central or --dp local");
  }

  @Test
  void aResumeTakesTheCheckpointsStrategySamplingAndPrivacySettings() {
    RunCommand.ExperimentOptions o = parse("--tags", "t");
    o.takeFrom(
        Map.of(
            "strategy", "fedadam",
            "strategy.server_lr", "0.02",
            "strategy.tau", "0.1",
            "fraction", "0.5",
            "dp", "central",
            "dp_noise_multiplier", "1.2",
            "dp_clip_norm", "2.0",
            "dp_adaptive_clip", "true",
            "dp_delta", "1.0E-6",
            "dp_epsilon_budget", "10.0"),
        flag -> false);
    assertThat(o.strategy().hyperparameters())
        .containsEntry("server_lr", "0.02")
        .containsEntry("tau", "0.1");
    assertThat(o.fraction).isEqualTo(0.5);
    DifferentialPrivacy dp = o.privacy();
    assertThat(dp.adaptiveClip()).isTrue();
    assertThat(dp.delta()).isEqualTo(1e-6);
    assertThat(dp.epsilonBudget()).isEqualTo(10);
  }
}
