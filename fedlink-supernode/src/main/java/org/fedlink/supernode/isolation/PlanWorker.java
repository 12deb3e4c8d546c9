package org.fedlink.supernode.isolation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.TerminalText;
import org.fedlink.ml.worker.WorkerWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running plan worker process and the pipe to it. Calls are one at a time; each has a time
 * limit past which the worker (with every process it started) is killed. A worker that exits, is
 * killed or breaks the protocol is dead for good: the caller starts another.
 *
 * <p>Thread-safe.
 */
final class PlanWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlanWorker.class);

  /** Exit status of a JVM stopped by {@code -XX:+ExitOnOutOfMemoryError}. */
  static final int OUT_OF_MEMORY_EXIT = 3;

  /** Lines of a worker's standard error copied to the node's log; the rest is dropped. */
  static final int MAX_LOG_LINES = 1000;

  /** Longest line of a worker's standard error copied to the log. */
  static final int MAX_LOG_LINE = 2000;

  private final Process process;
  private final DataOutputStream requests;
  private final DataInputStream replies;
  private final ExecutorService io;
  private final String plan;
  private final String node;
  private final PlanIsolation isolation;
  private final Path workDir;
  private boolean loaded;
  private volatile boolean dead;
  private volatile String killedFor;
  private volatile long lastUsedNanos = System.nanoTime();

  private PlanWorker(
      Process process, String plan, String node, PlanIsolation isolation, Path workDir) {
    this.process = process;
    this.plan = plan;
    this.node = node;
    this.isolation = isolation;
    this.workDir = workDir;
    this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
    this.replies = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    this.io =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "plan-worker-io");
              t.setDaemon(true);
              return t;
            });
    Thread pump = new Thread(() -> pumpLog(process.getErrorStream()), "plan-worker-log");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts a worker.
   *
   * @param plan how messages name the plan, e.g. "training plan 3f9a0c2d1b7e"
   * @param node how messages name this node, e.g. "node 12"
   * @param workDir an empty private folder, the worker's working directory (process level)
   */
  static PlanWorker start(
      PlanIsolation isolation, List<String> argv, String plan, String node, Path workDir) {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile());
    // Nothing of the node's environment (a key passphrase, tokens) reaches the plan.
    pb.environment().clear();
    pb.environment().put("HOME", workDir.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().put("PATH", "/usr/bin:/bin");
    try {
      return new PlanWorker(pb.start(), plan, node, isolation, workDir);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot start a worker for " + plan + ": " + e.getMessage(), e);
    }
  }

  /** True until the worker exited or was killed. */
  boolean alive() {
    return !dead && process.isAlive();
  }

  /** Nanos (System.nanoTime) of the end of its last call. */
  long lastUsedNanos() {
    return lastUsedNanos;
  }

  long pid() {
    return process.pid();
  }

  /** Loads the plan of {@code jarInWorker} unless this worker did already. */
  synchronized void loadOnce(String jarInWorker) {
    if (!loaded) {
      call(WorkerWire.LOAD, new WorkerWire.Body().putString(jarInWorker).toBytes(), 1 << 20);
      loaded = true;
    }
  }

  /**
   * Sends one request and waits for its reply for at most the isolation's timeout.
   *
   * @param maxReply largest reply accepted, in bytes
   * @return the reply's body (type {@link WorkerWire#OK})
   * @throws FedlinkException {@link ErrorCode#TASK_FAILED} with the plan's own failure; {@link
   *     ErrorCode#TIMEOUT} past the time limit; {@link ErrorCode#TASK_FAILED} if the worker died,
   *     ran out of memory or broke the protocol (the worker is then dead)
   */
  synchronized WorkerWire.Reader call(byte type, byte[] body, int maxReply) {
    if (!alive()) {
      throw died();
    }
    Future<WorkerWire.Frame> reply =
        io.submit(
            () -> {
              WorkerWire.write(requests, type, body);
              return WorkerWire.read(replies, maxReply);
            });
    Duration limit = isolation.timeout();
    try {
      WorkerWire.Frame frame = reply.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      lastUsedNanos = System.nanoTime();
      WorkerWire.Reader r = new WorkerWire.Reader(frame.body());
      if (frame.type() == WorkerWire.OK) {
        return r;
      }
      if (frame.type() == WorkerWire.ERROR) {
        String kind = r.getString();
        String message = r.getString();
        throw new FedlinkException(
            ErrorCode.TASK_FAILED,
            plan + " failed: " + kind + (message.isEmpty() ? "" : ": " + clip(message)));
      }
      kill("it answered with an unknown frame type " + frame.type());
      throw died();
    } catch (TimeoutException e) {
      kill("timeout");
      throw new FedlinkException(
          ErrorCode.TIMEOUT,
          plan
              + " took longer than plan_timeout_s = "
              + limit.toSeconds()
              + " s on "
              + node
              + " and was stopped; ask the node's admin for a longer limit or make the task"
              + " smaller");
    } catch (ExecutionException e) {
      // A dying JVM may print to standard output (the out-of-memory exit does): the exit status
      // says more than the bytes.
      if (!exited(Duration.ofSeconds(2))) {
        kill("it broke the worker protocol: " + e.getCause().getMessage());
      }
      throw died();
    } catch (InterruptedException e) {
      kill("the node stopped the task");
      Thread.currentThread().interrupt();
      throw new FedlinkException(
          ErrorCode.CANCELLED, plan + " was stopped: the task was cancelled");
    }
  }

  private boolean exited(Duration within) {
    try {
      return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The failure of a dead worker, with the reason it died. */
  private FedlinkException died() {
    String reason = killedFor;
    if (reason == null && !exited(Duration.ofSeconds(5))) {
      kill("it stopped answering");
      reason = killedFor;
    }
    dead = true;
    if (reason == null) {
      int exit = process.exitValue();
      if (exit == OUT_OF_MEMORY_EXIT) {
        return new FedlinkException(
            ErrorCode.TASK_FAILED,
            plan
                + " ran out of memory (plan_max_memory_mb = "
                + isolation.maxMemoryMb()
                + " on "
                + node
                + ") and was stopped");
      }
      reason = "its worker exited with status " + exit;
      if (exit > 128) {
        reason += " (signal " + (exit - 128) + ", e.g. a memory or file size limit)";
      }
    }
    if (reason.equals("run stopped")) {
      return new FedlinkException(ErrorCode.CANCELLED, plan + " was stopped with its run");
    }
    return new FedlinkException(
        ErrorCode.TASK_FAILED, plan + " stopped on " + node + ": " + reason);
  }

  /** Kills the worker and every process it started. */
  void kill(String why) {
    if (killedFor == null) {
      killedFor = why;
    }
    dead = true;
    List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
    family.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    family.add(process.toHandle());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : family) {
      try {
        h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        log.warn("{}: process {} did not exit after being killed", plan, h.pid());
      }
    }
    io.shutdownNow();
  }

  /** Ends the worker: closes its input (it exits), then kills whatever is left. */
  @Override
  public void close() {
    kill("closed");
    try {
      requests.close();
    } catch (IOException ignored) {
      // the process is gone
    }
    Workspace.deleteQuietly(workDir);
  }

  private void pumpLog(InputStream err) {
    int lines = 0;
    byte[] line = new byte[MAX_LOG_LINE];
    int len = 0;
    boolean cut = false;
    try (InputStream in = new BufferedInputStream(err)) {
      for (int b; (b = in.read()) >= 0; ) {
        if (b != '\n') {
          if (len < line.length) {
            line[len++] = (byte) b;
          } else {
            cut = true;
          }
          continue;
        }
        if (++lines <= MAX_LOG_LINES) {
          log.info(
              "{} worker: {}{}",
              plan,
              TerminalText.line(new String(line, 0, len, StandardCharsets.UTF_8)),
              cut ? " [cut]" : "");
        } else if (lines == MAX_LOG_LINES + 1) {
          log.info("{} worker: more output dropped", plan);
        }
        len = 0;
        cut = false;
      }
    } catch (IOException e) {
      // the worker is gone
    }
  }

  private static String clip(String s) {
    String p = TerminalText.line(s); // a plan cannot forge or rewrite a line
    return p.length() > WorkerWire.MAX_MESSAGE_CHARS
        ? p.substring(0, WorkerWire.MAX_MESSAGE_CHARS) + "..."
        : p;
  }
}
