package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedlink.cli.Main;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation as a user runs it: SuperLink, SuperNodes and the researcher as separate JVMs
 * started through the CLI, and the SuperLink killed with SIGKILL in the middle of an experiment.
 */
class ProcessFederationTest {
  @TempDir Path dir;

  @Test
  void experimentCompletesAcrossASuperLinkKilledWithSigkillAndRestarted() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    String address = "127.0.0.1:" + SuperLinkProcessArgs.freeLoopbackPort();
    List<String> linkArgs = SuperLinkProcessArgs.start(address, tls, dir.resolve("superlink"));
    ChildProcesses children = new ChildProcesses();
    try {
      ChildProcesses.Child link =
          SuperLinkProcessArgs.startListening(children, linkArgs, dir.resolve("logs/link-1.log"));
      Dataset data = BundledDatasets.load(BundledDatasets.BREAST_CANCER);
      List<Dataset> parts = new DirichletPartitioner(1.0, 1).split(data, 2);
      for (int i = 0; i < 2; i++) {
        Path file = dir.resolve("node-" + i + ".csv");
        CsvDatasetLoader.write(parts.get(i), file);
        int code =
            Main.commandLine()
                .execute(
                    "supernode",
                    "dataset",
                    "add",
                    "--home",
                    dir.resolve("node-" + i).toString(),
                    "--name",
                    "bc",
                    "--tags",
                    "bc",
                    "--path",
                    file.toString());
        assertThat(code).isZero();
        children.start(
            "node-" + i,
            List.of(
                "supernode",
                "start",
                "--superlink",
                address,
                "--root-certificates",
                tls.caCertificate().toString(),
                "--home",
                dir.resolve("node-" + i).toString()),
            dir.resolve("logs/node-" + i + ".log"));
      }
      List<Long> idsBefore = awaitNodes(address, tls.caCertificate(), 2);

      Path out = dir.resolve("out");
      List<String> runCmd = new ArrayList<>(javaCommand());
      runCmd.addAll(
          List.of(
              "run",
              "--superlink",
              address,
              "--root-certificates",
              tls.caCertificate().toString(),
              "--tags",
              "bc",
              "--rounds",
              "8",
              "--min-nodes",
              "2",
              "--output",
              out.toString(),
              "--no-progress"));
      Process run = new ProcessBuilder(runCmd).redirectErrorStream(true).start();
      CountDownLatch roundTwo = new CountDownLatch(1);
      StringBuilder output = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    synchronized (output) {
                      output.append(line).append('\n');
                    }
                    if (line.startsWith("round   2")) {
                      roundTwo.countDown();
                    }
                  }
                } catch (java.io.IOException ignored) {
                  // Process ended.
                }
              });
      reader.start();
      assertThat(roundTwo.await(120, TimeUnit.SECONDS)).as("round 2 reached: %s", output).isTrue();

      link.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      SuperLinkProcessArgs.startListening(children, linkArgs, dir.resolve("logs/link-2.log"));

      assertThat(run.waitFor(180, TimeUnit.SECONDS)).as("run finished: %s", output).isTrue();
      reader.join(5000);
      assertThat(run.exitValue())
          .as("exit code, output: %s\nlogs:\n%s", output, logs(dir.resolve("logs")))
          .isZero();
      assertThat(output.toString()).contains("round   8").contains("done: 8 rounds");
      assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(9);
      assertThat(awaitNodes(address, tls.caCertificate(), 2))
          .containsExactlyInAnyOrderElementsOf(idsBefore);
    } finally {
      children.stopAll();
    }
  }

  /** The end of every child's log, for a failure message. */
  private static String logs(Path folder) throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(folder)) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        all.append("== ").append(f.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 25), lines.size())
            .forEach(l -> all.append(l).append('\n'));
      }
    }
    return all.toString();
  }

  private static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName());
  }

  private static List<Long> awaitNodes(String address, Path ca, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (ControlConnection c =
        new ControlConnection(Endpoint.parse(address), ca, List.of(), Duration.ofSeconds(60))) {
      while (true) {
        List<Node> nodes = c.listNodes();
        if (nodes.stream().filter(Node::getOnline).count() >= count) {
          return nodes.stream().map(Node::getNodeId).toList();
        }
        assertThat(System.nanoTime()).as("nodes online in time").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }
}
