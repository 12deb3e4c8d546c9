package org.fedlink.researcher.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.Tensor;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.output.ExperimentOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
  @TempDir Path dir;

  private static Checkpoint checkpoint(int round, Map<String, String> settings) {
    Parameters model =
        Parameters.of(
            new Tensor("w", new int[] {3}, new float[] {0.5f, -1.5f, Float.MIN_VALUE}),
            new Tensor("b", new int[] {1}, new float[] {1e-7f}));
    List<RoundMetrics> history =
        List.of(
            new RoundMetrics(1, 3, 0.7, 0.6, 0.8, 1.5, List.of()),
            new RoundMetrics(2, 2, 0.5, Double.NaN, 0.9, 1.25, List.of("node 7 is offline")));
    return new Checkpoint(
        "run-1", round, model, history.subList(0, round), settings, Map.of("mu", "0.05"));
  }

  @Test
  void roundTripsEverythingBitForBit() {
    Checkpoint c = checkpoint(2, Map.of(Settings.ROUNDS, "5", "task.seed", "7"));

    CheckpointFile.write(dir, c);
    Checkpoint read = CheckpointFile.read(dir);

    assertThat(read.runId()).isEqualTo("run-1");
    assertThat(read.round()).isEqualTo(2);
    assertThat(ParametersCodec.encode(read.model())).isEqualTo(ParametersCodec.encode(c.model()));
    assertThat(read.history()).isEqualTo(c.history());
    assertThat(read.settings()).isEqualTo(c.settings());
    assertThat(read.strategyState()).containsExactly(Map.entry("mu", "0.05"));
    assertThat(read.complete()).isFalse();
    assertThat(Files.exists(CheckpointFile.of(dir).resolveSibling("checkpoint.flc.tmp"))).isFalse();
  }

  @Test
  void keepsEachRoundsEpsilonAndReadsVersionOneFilesWithout() throws Exception {
    Parameters model = Parameters.of(new Tensor("w", new int[] {1}, new float[] {2f}));
    Checkpoint c =
        new Checkpoint(
            "run-dp",
            1,
            model,
            List.of(new RoundMetrics(1, 3, 0.7, 0.6, 0.8, 1.5, List.of(), 5.2985)),
            Map.of(),
            Map.of("dp.clip", "1.0"));
    byte[] v2 = CheckpointFile.encode(c);
    assertThat(CheckpointFile.decode(v2).history().get(0).epsilon()).isEqualTo(5.2985);

    // The same checkpoint as version 1 wrote it: no epsilon after the dropped messages.
    byte[] body = java.util.Arrays.copyOf(v2, v2.length - 32);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body);
    b.putInt(4, 1); // version
    int modelLength = ParametersCodec.encode(model).length;
    int epsilonAt = body.length - modelLength - 4 - 8;
    byte[] v1body = new byte[body.length - 8];
    System.arraycopy(body, 0, v1body, 0, epsilonAt);
    System.arraycopy(body, epsilonAt + 8, v1body, epsilonAt, body.length - epsilonAt - 8);
    byte[] v1 = java.util.Arrays.copyOf(v1body, v1body.length + 32);
    System.arraycopy(
        java.security.MessageDigest.getInstance("SHA-256").digest(v1body),
        0,
        v1,
        v1body.length,
        32);
    Checkpoint old = CheckpointFile.decode(v1);
    assertThat(old.history().get(0).hasEpsilon()).isFalse();
    assertThat(old.history().get(0).valAccuracy()).isEqualTo(0.8);
    assertThat(old.strategyState()).containsEntry("dp.clip", "1.0");
  }

  @Test
  void aNewCheckpointReplacesTheLastOne() {
    CheckpointFile.write(dir, checkpoint(1, Map.of(Settings.ROUNDS, "2")));
    CheckpointFile.write(dir, checkpoint(2, Map.of(Settings.ROUNDS, "2")));

    Checkpoint read = CheckpointFile.read(dir);
    assertThat(read.round()).isEqualTo(2);
    assertThat(read.complete()).isTrue();
  }

  @Test
  void refusesADamagedFile() throws Exception {
    CheckpointFile.write(dir, checkpoint(1, Map.of()));
    Path file = CheckpointFile.of(dir);
    byte[] bytes = Files.readAllBytes(file);
    bytes[20] ^= 1;
    Files.write(file, bytes);

    assertThatThrownBy(() -> CheckpointFile.read(dir))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("is damaged (SHA-256 does not match the content)")
        .satisfies(
            e ->
                assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
  }

  @Test
  void missingCheckpointNamesTheFolderToGive() {
    assertThatThrownBy(() -> CheckpointFile.read(dir))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("no checkpoint in " + dir)
        .hasMessageContaining("--output");
  }

  @Test
  void settingsThatDifferAreRefusedByNameWithBothValues() {
    Checkpoint c =
        checkpoint(1, Map.of(Settings.ROUNDS, "5", "task.seed", "7", Settings.PLAN_JAR, "/a.jar"));
    Map<String, String> given =
        Map.of(Settings.ROUNDS, "5", "task.seed", "8", Settings.PLAN_JAR, "/elsewhere/a.jar");

    assertThatThrownBy(() -> Settings.requireSame(c, given, Path.of("ck")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("cannot resume run run-1")
        .hasMessageContaining("setting seed (--seed) is '8' here but '7' in the checkpoint")
        .hasMessageNotContaining("plan_jar")
        .hasMessageNotContaining("rounds");
    Settings.requireSame(c, Map.of(Settings.ROUNDS, "5", "task.seed", "7"), Path.of("ck"));
  }

  @Test
  void resumedOutputsKeepOnlyTheCheckpointedRounds() throws Exception {
    ExperimentOutputs first = new ExperimentOutputs(dir, "run-1");
    Checkpoint c = checkpoint(2, Map.of());
    for (RoundMetrics m : c.history()) {
      first.appendRound(m);
    }
    first.appendRound(new RoundMetrics(3, 3, 0.4, 0.4, 0.95, 1, List.of())); // then a crash
    first.close(); // as a killed process's lock is released by the system

    ExperimentOutputs.resume(dir, "run-1", checkpoint(2, Map.of()).history()).close();

    List<String> lines = Files.readAllLines(dir.resolve(ExperimentOutputs.METRICS_CSV));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(2)).startsWith("2,2,");
  }
}
