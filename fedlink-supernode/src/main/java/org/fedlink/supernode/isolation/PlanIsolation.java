package org.fedlink.supernode.isolation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;

/**
 * Where and within which limits a node runs researchers' training plans: the {@code [security]}
 * keys {@code plan_isolation}, {@code plan_max_memory_mb} and {@code plan_timeout_s}. Immutable.
 *
 * @param level where the plan runs
 * @param maxMemoryMb the worker's heap; its address space is capped at this plus {@link
 *     #NATIVE_HEADROOM_MB} where {@code prlimit} exists
 * @param timeout longest a plan may take for one task
 * @param bubblewrap the {@code bwrap} executable for {@link Level#SANDBOX}, if found
 */
public record PlanIsolation(
    Level level, int maxMemoryMb, Duration timeout, Optional<Path> bubblewrap) {

  /** Address space a worker may use beyond its heap (JVM code, metaspace, threads, buffers). */
  public static final int NATIVE_HEADROOM_MB = 1536;

  /** Where a plan runs. */
  public enum Level {
    /** A worker JVM under bubblewrap: no network, no view of the node's files. */
    SANDBOX,
    /** A worker JVM as the node's user: it can read what the node's user can read. */
    PROCESS,
    /** Inside the node's JVM: development only. */
    NONE;

    /** The configuration word, e.g. {@code sandbox}. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Level parse(String word) {
      for (Level l : values()) {
        if (l.word().equalsIgnoreCase(word.strip())) {
          return l;
        }
      }
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "[security] plan_isolation = " + word + " is not one of sandbox, process, none");
    }
  }

  public PlanIsolation {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(bubblewrap, "bubblewrap");
    if (maxMemoryMb < 64) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "[security] plan_max_memory_mb = " + maxMemoryMb + " is too small; use at least 64");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "[security] plan_timeout_s must be positive, not " + timeout);
    }
  }

  /** The configuration defaults: sandbox, 1024 MiB, 600 s. */
  public static PlanIsolation defaults() {
    return of(Level.SANDBOX, 1024, Duration.ofSeconds(600));
  }

  /** A level with limits, looking up {@code bwrap} on the PATH. */
  public static PlanIsolation of(Level level, int maxMemoryMb, Duration timeout) {
    return new PlanIsolation(level, maxMemoryMb, timeout, findOnPath("bwrap"));
  }

  /** The isolation of a node configuration. */
  public static PlanIsolation of(FedlinkConfig config) {
    return of(
        Level.parse(config.get(ConfigKeys.PLAN_ISOLATION)),
        config.get(ConfigKeys.PLAN_MAX_MEMORY_MB),
        Duration.ofSeconds(config.get(ConfigKeys.PLAN_TIMEOUT_S)));
  }

  /**
   * Why researchers' plans cannot run under these settings, or empty if they can: {@link
   * Level#SANDBOX} without bubblewrap.
   */
  public Optional<String> unavailable() {
    if (level == Level.SANDBOX && bubblewrap.isEmpty()) {
      return Optional.of(
          "plan_isolation = sandbox needs bubblewrap, which is not installed on this node"
              + " (apt-get install bubblewrap); until then researchers' training plans are refused"
              + " (or set [security] plan_isolation = process and accept that a plan can read"
              + " this node's files)");
    }
    return Optional.empty();
  }

  /** The warning an operator must see at start for this level, if any. */
  public Optional<String> warning() {
    return switch (level) {
      case SANDBOX -> unavailable();
      case PROCESS ->
          Optional.of(
              "[security] plan_isolation = process: researchers' training plans run in a separate"
                  + " process without a sandbox and can read every file this node's user can read"
                  + " (keys, database, datasets) and open network connections; use sandbox");
      case NONE ->
          Optional.of(
              "[security] plan_isolation = none: researchers' training plans run inside this"
                  + " node's JVM with no limit; for development only");
    };
  }

  static Optional<Path> findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(java.io.File.pathSeparator))
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
