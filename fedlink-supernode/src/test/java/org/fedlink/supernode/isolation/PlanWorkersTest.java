package org.fedlink.supernode.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile training plans in real worker processes, under the sandbox (bubblewrap) and as a plain
 * process: each failure comes back as the right error naming the plan, the node and the limit, and
 * the node's next task runs. Probes report whether reading the node's files, opening a socket to
 * the SuperLink's port or writing outside the worker's folder worked.
 */
class PlanWorkersTest {
  @TempDir static Path dir;
  static Path nodeKey;
  static Path outside;
  static ServerSocket superlink;
  static final Dataset DATA =
      new Dataset(new float[] {1, 2, 3, 4, 5, 6}, new int[] {0, 1, 0}, 3, 2);
  static final Parameters GLOBAL = Parameters.of(Tensor.zeros("w", 2, 2));

  @BeforeAll
  static void setUp() throws IOException {
    nodeKey = dir.resolve("node-home/etc/node_key");
    Files.createDirectories(nodeKey.getParent());
    Files.writeString(nodeKey, "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n");
    Files.setPosixFilePermissions(nodeKey, PosixFilePermissions.fromString("rw-------"));
    outside = dir.resolve("node-home/var");
    Files.createDirectories(outside);
    superlink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void tearDown() throws IOException {
    superlink.close();
  }

  static String readProbe(Path file) {
    return "Files.readAllBytes(Path.of(\"" + file + "\")); ok = 1;";
  }

  static String socketProbe() {
    return "try (java.net.Socket s = new java.net.Socket(\"127.0.0.1\", "
        + superlink.getLocalPort()
        + ")) { ok = 1; }";
  }

  static String writeProbe(String file) {
    return "Files.writeString(Path.of(\"" + outside.resolve(file) + "\"), \"x\"); ok = 1;";
  }

  abstract static class Level {
    PlanWorkers workers;
    Path work;
    int run;

    abstract PlanIsolation isolation();

    @BeforeAll
    void startPool() throws IOException {
      work = Files.createDirectories(dir.resolve(isolation().level().word()));
      workers = new PlanWorkers(isolation(), work.resolve("workers"));
    }

    @AfterAll
    void closePool() {
      workers.close();
      assertThat(workers.size()).isZero();
    }

    /** A plan running {@code body} in a worker of a new run. */
    TrainingPlan plan(String name, String body) throws IOException {
      Path jar = HostilePlans.build(work, name, body);
      return workers.plan("run-" + (++run), name, jar, "training plan " + name, "node 7");
    }

    double probe(String name, String body) throws IOException {
      LocalUpdate u = plan(name, body).train(GLOBAL, DATA, TrainingArgs.defaults());
      return u.metrics().get("ok");
    }

    /** Training with {@code p} fails with {@code code} and a message starting with {@code text}. */
    static void trainFails(TrainingPlan p, ErrorCode code, String text) {
      assertThatThrownBy(() -> p.train(GLOBAL, DATA, TrainingArgs.defaults()))
          .isInstanceOfSatisfying(
              FedlinkException.class,
              e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.getMessage()).startsWith(text);
              });
    }

    /** After any failure the node's next plan task runs. */
    void nextTaskRuns() throws IOException {
      LocalUpdate u = plan("Benign" + run, "ok = 1;").train(GLOBAL, DATA, TrainingArgs.defaults());
      assertThat(u.numExamples()).isEqualTo(3);
      assertThat(u.metrics()).containsEntry("ok", 1.0);
    }

    @Test
    void exitIsAnErrorResultAndTheNodeGoesOn() throws IOException {
      trainFails(
          plan("Exit", "System.exit(1);"),
          ErrorCode.TASK_FAILED,
          "training plan Exit stopped on node 7: its worker exited with status 1");
      nextTaskRuns();
    }

    @Test
    void haltIsAnErrorResult() throws IOException {
      trainFails(
          plan("Halt", "Runtime.getRuntime().halt(7);"),
          ErrorCode.TASK_FAILED,
          "training plan Halt stopped on node 7: its worker exited with status 7");
      nextTaskRuns();
    }

    @Test
    void outOfMemoryNamesTheLimit() throws IOException {
      TrainingPlan p =
          plan(
              "Hog",
              "List<long[]> keep = new ArrayList<>(); while (true) keep.add(new long[1 << 20]);");
      trainFails(
          p,
          ErrorCode.TASK_FAILED,
          "training plan Hog ran out of memory (plan_max_memory_mb = 128 on node 7) and was"
              + " stopped");
      nextTaskRuns();
    }

    @Test
    void stackOverflowIsThePlansErrorAndTheWorkerStays() throws IOException {
      TrainingPlan p = plan("Deep", "ok = depth(0);");
      trainFails(
          p, ErrorCode.TASK_FAILED, "training plan Deep failed: java.lang.StackOverflowError");
      List<Long> before = workers.pids("run-" + run);
      assertThat(before).hasSize(1);
      // The same worker serves the plan's next task.
      assertThat(p.evaluate(GLOBAL, DATA).count()).isEqualTo(3);
      assertThat(workers.pids("run-" + run)).isEqualTo(before);
    }

    @Test
    void aPlansMessageCannotCarryTerminalControls() throws IOException {
      trainFails(
          plan("Loud", "if (d.rows() > 0) throw new AssertionError(\"\\u001b[2Jgone\\rok\");"),
          ErrorCode.TASK_FAILED,
          "training plan Loud failed: java.lang.AssertionError: \\x1b[2Jgone\\x0dok");
    }

    @Test
    void infiniteLoopIsStoppedAtTheTimeLimit() throws IOException {
      trainFails(
          plan("Spin", "while (d.rows() > 0) { ok++; }"),
          ErrorCode.TIMEOUT,
          "training plan Spin took longer than plan_timeout_s = 3 s on node 7");
      nextTaskRuns();
    }

    @Test
    void aThreadThatNeverEndsDiesWithItsRun() throws IOException {
      TrainingPlan p =
          plan(
              "Linger",
              "Thread t = new Thread(() -> { while (true) { Thread.onSpinWait(); } });"
                  + " t.setDaemon(false); t.start(); ok = 1;");
      assertThat(p.train(GLOBAL, DATA, TrainingArgs.defaults()).metrics()).containsEntry("ok", 1.0);
      List<ProcessHandle> alive = handles();
      assertThat(alive).isNotEmpty();
      workers.stopRun("run-" + run);
      assertThat(alive).noneMatch(ProcessHandle::isAlive);
      nextTaskRuns();
    }

    @Test
    void aBoundedForkBombDiesWithItsWorker() throws IOException {
      // Eight idle JVMs started by the plan (bounded here); each waits on its input forever.
      String java = ProcessHandle.current().info().command().orElseThrow();
      TrainingPlan p =
          plan(
              "Bomb",
              "String cp = System.getProperty(\"java.class.path\");"
                  + " for (int i = 0; i < 8; i++) { new ProcessBuilder(\""
                  + java
                  + "\", \"-Xmx16m\", \"-cp\", cp, \"org.fedlink.ml.worker.PlanWorkerMain\").start();"
                  + " ok++; }");
      double spawned = p.train(GLOBAL, DATA, TrainingArgs.defaults()).metrics().get("ok");
      List<ProcessHandle> family = handles();
      workers.stopRun("run-" + run);
      assertThat(family).noneMatch(ProcessHandle::isAlive);
      assertThat(spawned).isBetween(0.0, 8.0);
      nextTaskRuns();
    }

    /** The live workers and every process under them. */
    List<ProcessHandle> handles() {
      List<ProcessHandle> out = new ArrayList<>();
      for (long pid : workers.pids("run-" + run)) {
        ProcessHandle.of(pid)
            .ifPresent(
                h -> {
                  out.add(h);
                  h.descendants().forEach(out::add);
                });
      }
      return out;
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Sandbox extends Level {
    @Override
    PlanIsolation isolation() {
      PlanIsolation s = PlanIsolation.of(PlanIsolation.Level.SANDBOX, 128, Duration.ofSeconds(3));
      assertThat(s.bubblewrap()).as("bwrap (Debian package bubblewrap) is installed").isPresent();
      return s;
    }

    @Test
    void theNodesFilesCannotBeRead() throws IOException {
      assertThat(probe("ReadPasswd", readProbe(Path.of("/etc/passwd")))).isZero();
      assertThat(probe("ReadKey", readProbe(nodeKey))).isZero();
    }

    @Test
    void noSocketReachesTheSuperLink() throws IOException {
      assertThat(probe("Dial", socketProbe())).isZero();
    }

    @Test
    void nothingIsWrittenOutsideTheWorkersTempFolder() throws IOException {
      assertThat(probe("Plant", writeProbe("sandboxed.txt"))).isZero();
      assertThat(outside.resolve("sandboxed.txt")).doesNotExist();
      assertThat(probe("Scratch", "Files.writeString(Path.of(\"/tmp/x\"), \"x\"); ok = 1;"))
          .isEqualTo(1.0);
      assertThat(Path.of("/tmp/x")).doesNotExist();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Unsandboxed extends Level {
    @Override
    PlanIsolation isolation() {
      return PlanIsolation.of(PlanIsolation.Level.PROCESS, 128, Duration.ofSeconds(3));
    }

    /** What docs/training-plans.md says plainly: without the sandbox a plan can do all of this. */
    @Test
    void withoutTheSandboxAPlanReadsDialsAndWrites() throws IOException {
      assertThat(probe("ReadPasswd", readProbe(Path.of("/etc/passwd")))).isEqualTo(1.0);
      assertThat(probe("ReadKey", readProbe(nodeKey))).isEqualTo(1.0);
      assertThat(probe("Dial", socketProbe())).isEqualTo(1.0);
      assertThat(probe("Plant", writeProbe("unsandboxed.txt"))).isEqualTo(1.0);
      assertThat(outside.resolve("unsandboxed.txt")).exists();
    }

    @Test
    void theNodesEnvironmentDoesNotReachThePlan() throws IOException {
      assertThat(probe("Env", "ok = System.getenv().containsKey(\"PATH\") ? 1 : 0;"))
          .isEqualTo(1.0);
      assertThat(probe("Env2", "ok = System.getenv().size();")).isLessThanOrEqualTo(4.0);
    }
  }
}
