package org.fedlink.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Fedlink components started as separate JVMs from the running one's class path, each logging to
 * its own file. Everything started is stopped by {@link #stopAll()}, also from a shutdown hook so
 * Ctrl-C leaves nothing behind. Thread-safe.
 */
public final class ChildProcesses {
  /** A started component. */
  public record Child(String name, Process process, Path log) {}

  private final List<Child> children = new ArrayList<>();
  private final List<String> jvmOptions;

  /** Children started with this JVM's class path and nothing more. */
  public ChildProcesses() {
    this(List.of());
  }

  /**
   * Children started with {@code jvmOptions} too (such as {@code -Dlogback.configurationFile=...}
   * when the class path's logging configuration is not the CLI's).
   */
  public ChildProcesses(List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Starts {@code fedlink <args>} in a new JVM. */
  public Child start(String name, List<String> args, Path log) {
    return start(name, List.of(), args, log);
  }

  /**
   * Starts {@code fedlink <args>} in a new JVM through {@code prefix}, a command that ends by
   * executing the rest of its arguments in its own process, such as {@code ip netns exec NS}: the
   * child is then the JVM itself, and stopping it stops the component.
   */
  public synchronized Child start(String name, List<String> prefix, List<String> args, Path log) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(java);
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(jvmOptions);
    // Every process of the demo shares one unpacked copy of libtorch.
    String djlCache = System.getProperty(org.fedlink.djl.DjlRuntime.CACHE_PROPERTY);
    if (djlCache != null) {
      cmd.add("-D" + org.fedlink.djl.DjlRuntime.CACHE_PROPERTY + "=" + djlCache);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.fedlink.cli.Main");
    cmd.addAll(args);
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      Child c = new Child(name, p, log);
      children.add(c);
      return c;
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that every child still runs.
   *
   * @throws FedlinkException naming the first that exited, with its exit code and the end of its
   *     log
   */
  public synchronized void requireAllAlive() {
    for (Child c : children) {
      if (!c.process().isAlive()) {
        throw new FedlinkException(
            ErrorCode.UNAVAILABLE,
            c.name()
                + " exited with code "
                + c.process().exitValue()
                + "; its log "
                + c.log()
                + " ends with:\n"
                + tail(c, 15));
      }
    }
  }

  /** The folder of the first child's log, or null before any child started. */
  public synchronized Path logFolder() {
    return children.isEmpty() ? null : children.get(0).log().getParent();
  }

  /**
   * Waits until the child's log contains {@code text} (a readiness line such as "SuperLink
   * listening on"). Between looks it waits on the child's exit, so a child that dies is reported at
   * once.
   *
   * @throws FedlinkException UNAVAILABLE with the end of the log if the child exits first, TIMEOUT
   *     if the line does not appear within {@code timeout}
   */
  public static void awaitLogLine(Child c, String text, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (Files.exists(c.log()) && Files.readString(c.log()).contains(text)) {
          return;
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // Half-written or not yet created: look again.
      }
      if (!c.process().isAlive()) {
        throw new FedlinkException(
            ErrorCode.UNAVAILABLE,
            c.name()
                + " exited before logging \""
                + text
                + "\"; its log ends with:\n"
                + tail(c, 15));
      }
      if (System.nanoTime() > deadline) {
        throw new FedlinkException(
            ErrorCode.TIMEOUT,
            c.name()
                + " did not log \""
                + text
                + "\" within "
                + timeout.toSeconds()
                + " s; its log ends with:\n"
                + tail(c, 15));
      }
      try {
        c.process().onExit().get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // Still running: look at the log again.
      }
    }
  }

  /** The last lines of a child's log. */
  public static String tail(Child c, int lines) {
    try {
      List<String> all = Files.readAllLines(c.log());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Kills the child named {@code name} at once (SIGKILL, as a crash would) and forgets it, so
   * {@link #requireAllAlive()} no longer reports it.
   *
   * @return true if such a child was running
   */
  public synchronized boolean kill(String name) {
    for (Child c : new ArrayList<>(children)) {
      if (c.name().equals(name)) {
        c.process().destroyForcibly();
        children.remove(c);
        return true;
      }
    }
    return false;
  }

  /** Stops every child: SIGTERM, then SIGKILL after 5 s. Nodes first, the SuperLink last. */
  public synchronized void stopAll() {
    List<Child> reversed = new ArrayList<>(children);
    java.util.Collections.reverse(reversed);
    for (Child c : reversed) {
      c.process().destroy();
    }
    for (Child c : reversed) {
      try {
        if (!c.process().waitFor(5, TimeUnit.SECONDS)) {
          c.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        c.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    children.clear();
  }
}
