package org.fedlink.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {
  @TempDir Path dir;

  private ExperimentResult simulate(String name, double dropout) {
    return Simulation.builder()
        .nodes(50)
        .dataset("digits")
        .partition("dirichlet:0.5")
        .dropoutRate(dropout)
        .concurrency(2)
        .seed(7)
        .workDir(dir.resolve(name + "-work"))
        .experiment(
            Experiment.builder().rounds(3).fraction(0.2).minNodes(5).outputDir(dir.resolve(name)))
        .build()
        .run();
  }

  @Test
  void fiftyVirtualNodesTrainOnASampleEachRoundAndRepeatExactly() {
    ExperimentResult first = simulate("a", 0.2);
    ExperimentResult second = simulate("b", 0.2);

    assertThat(first.history()).hasSize(3);
    int droppedOverall = 0;
    for (RoundMetrics r : first.history()) {
      // a fifth of 50 nodes is asked each round; those that drop out are reported
      assertThat(r.nodes() + r.dropped().size()).isEqualTo(10);
      droppedOverall += r.dropped().size();
    }
    assertThat(droppedOverall).isPositive();
    assertThat(first.history().stream().flatMap(r -> r.dropped().stream()))
        .allMatch(m -> m.contains("(simulated)"));
    assertThat(first.last().valAccuracy()).isGreaterThan(0.6);
    // the same seeds give the same samples, faults and model, bit for bit
    assertThat(encode(second.model())).isEqualTo(encode(first.model()));
    // (node ids are the SuperLink's random ones; the nodes behind them are the same)
    assertThat(second.history().stream().map(r -> r.dropped().size()).toList())
        .isEqualTo(first.history().stream().map(r -> r.dropped().size()).toList());
    assertThat(dir.resolve("a/metrics.csv")).exists();
    assertThat(dir.resolve("a/model.flp")).exists();
    assertThat(dir.resolve("a/metrics.png")).exists();
  }

  @Test
  void refusesPartitionsTooSmallForANode() {
    Simulation s =
        Simulation.builder()
            .nodes(1000)
            .dataset("breast-cancer")
            .workDir(dir.resolve("w"))
            .experiment(Experiment.builder().outputDir(dir.resolve("o")))
            .build();
    assertThatThrownBy(s::run)
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("1000")
        .hasMessageContaining("synthetic");
    assertThat(Files.exists(dir.resolve("w"))).isFalse();
  }

  @Test
  void refusesAnUnknownPartitioningNamingTheForms() {
    assertThatThrownBy(() -> Simulation.builder().partition("zipf:2").build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("zipf:2")
        .hasMessageContaining(Partitions.FORMS);
    assertThatThrownBy(() -> Simulation.builder().partition("dirichlet:x").build())
        .hasMessageContaining("'x' is not a number");
    assertThatThrownBy(() -> Simulation.builder().dropoutRate(1.5).build())
        .hasMessageContaining("--dropout-rate 1.5");
  }

  @Test
  void theCheckpointRecordsTheSimulationsOwnSettingsSoAResumeMustMatchThem() {
    Path work = dir.resolve("resume-work");
    Path out = dir.resolve("resume-out");
    assertThatThrownBy(
            () ->
                Simulation.builder()
                    .nodes(10)
                    .partition("dirichlet:0.5")
                    .dropoutRate(0.1)
                    .workDir(work)
                    .experiment(
                        Experiment.builder()
                            .rounds(3)
                            .outputDir(out)
                            .listener(
                                new ExperimentListener() {
                                  @Override
                                  public void roundFinished(RoundMetrics m) {
                                    throw new IllegalStateException("crash after round 1");
                                  }
                                }))
                    .build()
                    .run())
        .hasMessage("crash after round 1");
    String runId = CheckpointFile.read(out).runId();
    assertThatThrownBy(
            () ->
                Simulation.builder()
                    .nodes(10)
                    .partition("iid")
                    .dropoutRate(0.1)
                    .workDir(work)
                    .experiment(Experiment.builder().rounds(3).outputDir(out).resume(runId))
                    .build()
                    .run())
        .hasMessageContaining("cannot resume run " + runId)
        .hasMessageContaining(
            "setting simulation.partition is 'iid' here but 'dirichlet:0.5' in the checkpoint");
  }

  private static List<Byte> encode(Parameters p) {
    byte[] b = ParametersCodec.encode(p);
    Byte[] boxed = new Byte[b.length];
    for (int i = 0; i < b.length; i++) {
      boxed[i] = b[i];
    }
    return List.of(boxed);
  }
}
