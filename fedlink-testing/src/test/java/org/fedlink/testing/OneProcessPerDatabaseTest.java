package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.superlink.SuperLink;
import org.fedlink.supernode.SuperNode;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node database and a SuperLink state database each belong to one process: a second refuses to
 * start naming the PID of the first, and a killed process leaves nothing that blocks the next.
 */
class OneProcessPerDatabaseTest {
  @TempDir Path dir;

  private SuperNode.Builder node(Path home) {
    return SuperNode.builder()
        .superlink(new Endpoint("127.0.0.1", freePort()))
        .insecure(true)
        .home(home);
  }

  @Test
  void aSecondNodeOnTheSameDatabaseInThisProcessIsRefusedUntilTheFirstCloses() {
    Path home = dir.resolve("node");
    long pid = ProcessHandle.current().pid();
    try (SuperNode first = node(home).build()) {
      assertThatThrownBy(() -> node(home).build())
          .isInstanceOf(FedlinkException.class)
          .satisfies(
              e ->
                  assertThat(((FedlinkException) e).code())
                      .isEqualTo(ErrorCode.FAILED_PRECONDITION))
          .hasMessageContaining("node database " + home.resolve("node.sqlite"))
          .hasMessageContaining("in use by process " + pid + " (this process)");
    }
    node(home).build().close();
  }

  @Test
  void aNodeProcessHoldsItsDatabaseUntilKilled() throws Exception {
    Path home = dir.resolve("node");
    ChildProcesses children = new ChildProcesses();
    try {
      ChildProcesses.Child child =
          children.start(
              "node",
              List.of(
                  "supernode",
                  "start",
                  "--superlink",
                  "127.0.0.1:" + freePort(),
                  "--insecure",
                  "--home",
                  home.toString()),
              dir.resolve("node.log"));
      Path lock = ProcessLock.fileFor(home.resolve("node.sqlite"));
      awaitHolder(lock, child);

      assertThatThrownBy(() -> node(home).build())
          .hasMessageContaining("in use by process " + child.process().pid())
          .hasMessageContaining("lock file " + lock)
          .hasMessageNotContaining("this process");

      child.process().destroyForcibly();
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(read(lock)).as("the killed process left its PID").contains(pid(child));
      node(home).build().close();
    } finally {
      children.stopAll();
    }
  }

  @Test
  void aSuperLinkProcessHoldsItsStateDatabase() throws Exception {
    Path home = dir.resolve("link");
    ChildProcesses children = new ChildProcesses();
    try {
      ChildProcesses.Child child =
          children.start(
              "superlink",
              List.of(
                  "superlink",
                  "start",
                  "--address",
                  "127.0.0.1:" + freePort(),
                  "--insecure",
                  "--home",
                  home.toString()),
              dir.resolve("link.log"));
      awaitHolder(ProcessLock.fileFor(home.resolve("superlink.sqlite")), child);

      SuperLink second =
          SuperLink.builder()
              .address(new Endpoint("127.0.0.1", freePort()))
              .insecure(true)
              .home(home)
              .build();
      assertThatThrownBy(second::start)
          .hasMessageContaining("SuperLink state database " + home.resolve("superlink.sqlite"))
          .hasMessageContaining("in use by process " + child.process().pid());

      child.process().destroyForcibly();
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      second.start().close();
    } finally {
      children.stopAll();
    }
  }

  /** Waits until {@code child} holds the lock: its PID is in the file. */
  private static void awaitHolder(Path lock, ChildProcesses.Child child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!read(lock).equals(pid(child))) {
      assertThat(child.process().isAlive())
          .as("%s is running: %s", child.name(), ChildProcesses.tail(child, 20))
          .isTrue();
      assertThat(System.nanoTime())
          .as("%s took the lock in time", child.name())
          .isLessThan(deadline);
      try {
        child.process().onExit().get(50, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        // Look at the file again.
      }
    }
  }

  private static String pid(ChildProcesses.Child child) {
    return Long.toString(child.process().pid());
  }

  private static String read(Path lock) throws IOException {
    return Files.exists(lock) ? Files.readString(lock, StandardCharsets.US_ASCII).trim() : "";
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
