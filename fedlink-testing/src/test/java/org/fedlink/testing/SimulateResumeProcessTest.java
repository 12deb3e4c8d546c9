package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.cli.Main;
import org.fedlink.core.FedlinkException;
import org.fedlink.researcher.checkpoint.Checkpoint;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedlink simulate} with LOM secure aggregation killed with SIGKILL after a few rounds, then
 * {@code --resume} with its work folder: it ends with the model of an uninterrupted simulation of
 * the same settings, bit for bit (the resumed run agrees new LOM keys; the masks cancel all the
 * same), and a resume with another partitioning is refused naming it.
 */
class SimulateResumeProcessTest {
  private static final int ROUNDS = 10;
  private static final List<String> SETTINGS =
      List.of(
          "--nodes",
          "30",
          "--rounds",
          Integer.toString(ROUNDS),
          "--fraction",
          "0.3",
          "--secagg",
          "lom",
          "--seed",
          "5",
          "--no-progress");

  @TempDir Path dir;

  @Test
  void aSecureSimulationKilledWithSigkillResumesToTheModelOfAnUninterruptedOne() throws Exception {
    Path reference = dir.resolve("reference");
    Sim uninterrupted = Sim.start(args(SETTINGS, "--output", reference.toString()), dir, "ref");
    assertThat(uninterrupted.await()).as("reference: %s", uninterrupted.output()).isZero();

    Path work = dir.resolve("work");
    Path out = dir.resolve("crashed");
    Sim crashing =
        Sim.start(
            args(SETTINGS, "--work-dir", work.toString(), "--output", out.toString()),
            dir,
            "crashing");
    awaitCheckpoint(out, 3, crashing);
    crashing.process().destroyForcibly(); // SIGKILL: the run is not stopped
    assertThat(crashing.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    Checkpoint atKill = CheckpointFile.read(out);
    assertThat(atKill.round()).isLessThan(ROUNDS);
    String runId = atKill.runId();
    List<String> resume =
        List.of(
            "--resume",
            runId,
            "--secagg",
            "lom",
            "--work-dir",
            work.toString(),
            "--output",
            out.toString(),
            "--no-progress");

    Sim refused = Sim.start(args(resume, "--partition", "dirichlet:0.5"), dir, "refused");
    assertThat(refused.await()).isNotZero();
    assertThat(refused.output())
        .contains("cannot resume run " + runId)
        .contains(
            "setting simulation.partition is 'dirichlet:0.5' here but 'iid' in the checkpoint");

    Sim resumed = Sim.start(args(resume), dir, "resumed");
    assertThat(resumed.await()).as("resumed: %s", resumed.output()).isZero();
    assertThat(resumed.output())
        .contains("resuming run " + runId + " after round " + atKill.round())
        .contains("done: " + ROUNDS + " rounds on 30 virtual nodes");
    assertThat(Files.readAllBytes(out.resolve("model.flp")))
        .as("model after the resume, bit for bit")
        .isEqualTo(Files.readAllBytes(reference.resolve("model.flp")));
    assertThat(withoutSeconds(out.resolve("metrics.csv")))
        .hasSize(ROUNDS + 1)
        .isEqualTo(withoutSeconds(reference.resolve("metrics.csv")));
  }

  private static List<String> args(List<String> base, String... more) {
    List<String> out = new ArrayList<>(List.of("simulate"));
    out.addAll(base);
    out.addAll(List.of(more));
    return out;
  }

  private static List<String> withoutSeconds(Path csv) throws IOException {
    return Files.readAllLines(csv).stream()
        .map(
            l -> {
              List<String> cols = new ArrayList<>(Arrays.asList(l.split(",")));
              cols.remove(5);
              return String.join(",", cols);
            })
        .toList();
  }

  private static void awaitCheckpoint(Path out, int round, Sim sim) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (true) {
      if (Files.exists(CheckpointFile.of(out))) {
        try {
          if (CheckpointFile.read(out).round() >= round) {
            return;
          }
        } catch (FedlinkException e) {
          // being written
        }
      }
      assertThat(sim.process().isAlive()).as("still going: %s", sim.output()).isTrue();
      assertThat(System.nanoTime()).as("round %d checkpointed in time", round).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** A {@code fedlink simulate} JVM whose output goes to a file. */
  private record Sim(Process process, Path log) {
    static Sim start(List<String> args, Path dir, String name) throws IOException {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName()));
      cmd.addAll(args);
      Path log = dir.resolve("logs/" + name + ".log");
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Sim(p, log);
    }

    int await() throws InterruptedException {
      assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("ended in time").isTrue();
      return process.exitValue();
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }
  }
}
