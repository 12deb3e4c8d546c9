package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedlink.cli.Main;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.Tensor;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.checkpoint.Checkpoint;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The researcher's process killed with SIGKILL in the middle of an experiment, then {@code fedlink
 * run --resume}: the run continues on the same SuperLink run at the round after its checkpoint and
 * ends with the very model, bit for bit, of the same experiment run without interruption.
 */
class ResumeProcessTest {
  private static final int ROUNDS = 25;

  @TempDir Path dir;

  @Test
  void researcherKilledWithSigkillResumesToTheModelOfAnUninterruptedRun() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    int port = SuperLinkProcessArgs.freeLoopbackPort();
    String address = "127.0.0.1:" + port;
    String ca = tls.caCertificate().toString();
    ChildProcesses children = new ChildProcesses();
    try {
      SuperLinkProcessArgs.startListening(
          children,
          SuperLinkProcessArgs.start(address, tls, dir.resolve("superlink")),
          dir.resolve("logs/link.log"));
      Dataset data = BundledDatasets.load(BundledDatasets.BREAST_CANCER);
      List<Dataset> parts = new DirichletPartitioner(1.0, 1).split(data, 3);
      for (int i = 0; i < 3; i++) {
        Path file = dir.resolve("node-" + i + ".csv");
        CsvDatasetLoader.write(parts.get(i), file);
        String home = dir.resolve("node-" + i).toString();
        assertThat(
                Main.commandLine()
                    .execute(
                        "supernode",
                        "dataset",
                        "add",
                        "--home",
                        home,
                        "--name",
                        "bc",
                        "--tags",
                        "bc",
                        "--path",
                        file.toString()))
            .isZero();
        children.start(
            "node-" + i,
            List.of(
                "supernode",
                "start",
                "--superlink",
                address,
                "--root-certificates",
                ca,
                "--home",
                home),
            dir.resolve("logs/node-" + i + ".log"));
      }
      awaitNodes(address, tls.caCertificate(), 3);
      List<String> settings =
          List.of(
              "--tags",
              "bc",
              "--rounds",
              Integer.toString(ROUNDS),
              "--min-nodes",
              "3",
              "--strategy",
              "fedprox",
              "--proximal-mu",
              "0.05",
              "--seed",
              "7",
              "--no-progress");

      Path reference = dir.resolve("reference");
      long t0 = System.nanoTime();
      Run uninterrupted = Run.start(runArgs(address, ca, reference, settings), dir, "reference");
      assertThat(uninterrupted.await()).as("reference run: %s", uninterrupted.output()).isZero();
      System.out.printf("uninterrupted run: %.1f s%n", (System.nanoTime() - t0) / 1e9);

      Path out = dir.resolve("crashed");
      Run crashing = Run.start(runArgs(address, ca, out, settings), dir, "crashing");
      Checkpoint before = awaitCheckpoint(out, 3, crashing);
      crashing.process().destroyForcibly(); // SIGKILL: no shutdown hook, the run is not stopped
      assertThat(crashing.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      Checkpoint atKill = CheckpointFile.read(out);
      assertThat(atKill.runId()).isEqualTo(before.runId());
      assertThat(atKill.round())
          .as("killed before the end, so there is something to resume")
          .isLessThan(ROUNDS);
      String runId = atKill.runId();
      assertThat(crashing.output())
          .contains("run " + runId + " created; if this process dies, continue it with --resume");

      // A contradicting setting is refused, naming it, and leaves the run resumable.
      Run refused =
          Run.start(
              runArgs(address, ca, out, List.of("--resume", runId, "--rounds", "30")),
              dir,
              "refused");
      assertThat(refused.await()).isNotZero();
      assertThat(refused.output())
          .contains("cannot resume run " + runId)
          .contains(
              "setting rounds (--rounds) is '30' here but '" + ROUNDS + "' in the checkpoint");

      long t1 = System.nanoTime();
      Run resumed =
          Run.start(
              runArgs(address, ca, out, List.of("--resume", runId, "--no-progress")),
              dir,
              "resumed");
      assertThat(resumed.await()).as("resumed run: %s", resumed.output()).isZero();
      System.out.printf(
          "resumed after round %d: %.1f s%n", atKill.round(), (System.nanoTime() - t1) / 1e9);
      assertThat(resumed.output())
          .contains("resuming run " + runId + " after round " + atKill.round())
          .contains("done: " + ROUNDS + " rounds");

      byte[] expected = Files.readAllBytes(reference.resolve("model.flp"));
      byte[] actual = Files.readAllBytes(out.resolve("model.flp"));
      assertThat(ParametersCodec.decode(actual).tensors()).isNotEmpty();
      assertThat(firstDifference(expected, actual))
          .as("model after the resume, bit for bit")
          .isEmpty();
      assertThat(withoutSeconds(out.resolve("metrics.csv")))
          .hasSize(ROUNDS + 1)
          .isEqualTo(withoutSeconds(reference.resolve("metrics.csv")));
      Checkpoint last = CheckpointFile.read(out);
      assertThat(last.runId()).isEqualTo(runId);
      assertThat(last.round()).isEqualTo(ROUNDS);
      assertThat(last.strategyState()).containsEntry("mu", "0.05");

      Run again = Run.start(runArgs(address, ca, out, List.of("--resume", runId)), dir, "complete");
      assertThat(again.await()).isNotZero();
      assertThat(again.output()).contains("run " + runId + " completed all " + ROUNDS + " rounds");
    } finally {
      children.stopAll();
    }
  }

  /** Where two encoded models first differ (tensor, index, both values); empty if identical. */
  private static Optional<String> firstDifference(byte[] expected, byte[] actual) {
    if (Arrays.equals(expected, actual)) {
      return Optional.empty();
    }
    List<Tensor> a = ParametersCodec.decode(expected).tensors();
    List<Tensor> b = ParametersCodec.decode(actual).tensors();
    for (int t = 0; t < Math.min(a.size(), b.size()); t++) {
      float[] x = a.get(t).data();
      float[] y = b.get(t).data();
      for (int i = 0; i < Math.min(x.length, y.length); i++) {
        if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
          return Optional.of(
              a.get(t).name() + "[" + i + "]: uninterrupted " + x[i] + ", resumed " + y[i]);
        }
      }
    }
    return Optional.of("the encoded models differ in layout or length");
  }

  /** metrics.csv without the seconds column, the one value that differs between two runs. */
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

  /** Waits until the checkpoint holds at least {@code round}, or fails if the run ends first. */
  private static Checkpoint awaitCheckpoint(Path out, int round, Run run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      if (Files.exists(CheckpointFile.of(out))) {
        try {
          Checkpoint c = CheckpointFile.read(out);
          if (c.round() >= round) {
            return c;
          }
        } catch (FedlinkException e) {
          // Not there yet.
        }
      }
      assertThat(run.process().isAlive()).as("run still going: %s", run.output()).isTrue();
      assertThat(System.nanoTime())
          .as("checkpoint of round %d in time", round)
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static List<String> runArgs(String address, String ca, Path out, List<String> more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--superlink",
                address,
                "--root-certificates",
                ca,
                "--output",
                out.toString()));
    args.addAll(more);
    return args;
  }

  /** A {@code fedlink run} JVM whose output goes to a file. */
  private record Run(Process process, Path log) {
    static Run start(List<String> args, Path dir, String name) throws IOException {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName()));
      cmd.addAll(args);
      Path log = dir.resolve("logs/run-" + name + ".log");
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Run(p, log);
    }

    int await() throws InterruptedException {
      assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("run ended in time").isTrue();
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

  private static void awaitNodes(String address, Path ca, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (ControlConnection c =
        new ControlConnection(
            Endpoint.parse(address), ca, List.of(), java.time.Duration.ofSeconds(60))) {
      while (c.listNodes().stream().filter(Node::getOnline).count() < count) {
        assertThat(System.nanoTime()).as("nodes online in time").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }
}
