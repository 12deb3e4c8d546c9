package org.fedlink.supernode.isolation;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.worker.PlanWorkerMain;
import org.fedlink.ml.worker.WorkerRuntime;

/**
 * The command line of a plan worker: the JVM of this node with a capped heap, the jars of the
 * training-plan API as class path, and {@link PlanWorkerMain}; under {@link
 * PlanIsolation.Level#SANDBOX} wrapped in bubblewrap, which shows the worker only the JDK, the
 * system's shared libraries, those jars and the plan JAR (all read-only), an empty {@code /tmp},
 * its own PID namespace and no network. Optional modules add jars, system properties and read-only
 * folders through {@link WorkerRuntime} (DJL and its unpacked libtorch). Where {@code prlimit}
 * exists the worker's address space and the size of a file it writes are capped too.
 */
final class WorkerCommand {
  /** Where the plan JAR appears inside the sandbox. */
  static final String SANDBOX_JAR = "/plan/plan.jar";

  /** Largest file a worker may write, in MiB (its temp dir). */
  static final int MAX_FILE_MB = 256;

  private WorkerCommand() {}

  /** The command, and the path of the plan JAR as the worker sees it. */
  record Line(List<String> argv, String jarInWorker) {}

  static Line of(PlanIsolation isolation, Path jar) {
    Path javaHome = realPath(Path.of(System.getProperty("java.home")));
    List<WorkerRuntime> runtimes = runtimes();
    List<Path> classPath = new ArrayList<>(workerClassPath());
    List<Path> readable = new ArrayList<>();
    Map<String, String> properties = new TreeMap<>();
    for (WorkerRuntime r : runtimes) {
      if (!r.neededBy(jar)) {
        continue;
      }
      r.prepare();
      for (Path p : r.classPath()) {
        Path real = realPath(p);
        if (!classPath.contains(real)) {
          classPath.add(real);
        }
      }
      for (Path p : r.readOnlyPaths()) {
        readable.add(realPath(p));
      }
      properties.putAll(r.systemProperties());
    }
    List<String> jvm = new ArrayList<>();
    jvm.add(javaHome.resolve("bin").resolve("java").toString());
    jvm.add("-Xmx" + isolation.maxMemoryMb() + "m");
    jvm.add("-XX:+ExitOnOutOfMemoryError");
    jvm.add("-XX:+UseSerialGC");
    jvm.add("-XX:MaxMetaspaceSize=256m");
    jvm.add("-XX:CompressedClassSpaceSize=128m");
    jvm.add("-XX:ReservedCodeCacheSize=64m");
    jvm.add("-XX:MaxDirectMemorySize=" + Math.max(16, isolation.maxMemoryMb() / 4) + "m");
    jvm.add("-XX:-UsePerfData");
    jvm.add("-XX:ErrorFile=/dev/null");
    jvm.add("-Dfile.encoding=UTF-8");
    properties.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
    jvm.add("-cp");
    jvm.add(
        String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
    jvm.add(PlanWorkerMain.class.getName());

    List<String> argv = new ArrayList<>();
    PlanIsolation.findOnPath("prlimit")
        .ifPresent(
            prlimit -> {
              long mb = 1024L * 1024;
              argv.add(prlimit.toString());
              argv.add("--as=" + (isolation.maxMemoryMb() + PlanIsolation.NATIVE_HEADROOM_MB) * mb);
              argv.add("--fsize=" + MAX_FILE_MB * mb);
              argv.add("--core=0");
              argv.add("--");
            });
    if (isolation.level() != PlanIsolation.Level.SANDBOX) {
      argv.addAll(jvm);
      return new Line(argv, jar.toAbsolutePath().toString());
    }
    Path bwrap =
        isolation
            .bubblewrap()
            .orElseThrow(
                () ->
                    new FedlinkException(
                        ErrorCode.FAILED_PRECONDITION, isolation.unavailable().orElseThrow()));
    argv.add(bwrap.toString());
    argv.addAll(
        List.of(
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--clearenv",
            "--setenv",
            "HOME",
            "/tmp",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--setenv",
            "MALLOC_ARENA_MAX",
            "2"));
    // The fresh /proc, /dev and /tmp come first: a bind below /tmp (a class path in a build
    // folder under /tmp) must land inside the new /tmp, not be hidden by it.
    argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
    Set<Path> bound = new LinkedHashSet<>();
    for (String system : List.of("/usr/lib", "/usr/lib64", "/lib", "/lib64")) {
      Path p = Path.of(system);
      if (Files.isSymbolicLink(p)) {
        argv.addAll(List.of("--symlink", readLink(p), system));
      } else if (Files.isDirectory(p)) {
        bind(argv, bound, p);
      }
    }
    bind(argv, bound, javaHome);
    for (Path outside : linksOutside(javaHome)) {
      bind(argv, bound, outside);
    }
    for (Path entry : classPath) {
      bind(argv, bound, entry);
    }
    for (Path folder : readable) {
      bind(argv, bound, folder);
    }
    argv.addAll(List.of("--ro-bind", jar.toAbsolutePath().toString(), SANDBOX_JAR));
    argv.addAll(List.of("--chdir", "/tmp"));
    argv.add("--");
    argv.addAll(jvm);
    return new Line(argv, SANDBOX_JAR);
  }

  private static volatile List<WorkerRuntime> found;

  /** The {@link WorkerRuntime}s on the node's class path, found once. */
  static List<WorkerRuntime> runtimes() {
    List<WorkerRuntime> r = found;
    if (r == null) {
      List<WorkerRuntime> list = new ArrayList<>();
      ServiceLoader.load(WorkerRuntime.class, WorkerCommand.class.getClassLoader())
          .forEach(list::add);
      r = List.copyOf(list);
      found = r;
    }
    return r;
  }

  /** Binds {@code p} read-only at the same path unless a folder above it is bound already. */
  private static void bind(List<String> argv, Set<Path> bound, Path p) {
    for (Path b : bound) {
      if (p.startsWith(b)) {
        return;
      }
    }
    bound.add(p);
    argv.addAll(List.of("--ro-bind", p.toString(), p.toString()));
  }

  /**
   * The class path of a worker: the jars (or class folders) holding the training-plan API, the core
   * types and the digests, and nothing of the node.
   */
  static List<Path> workerClassPath() {
    Set<Path> out = new LinkedHashSet<>();
    for (Class<?> c : List.of(PlanWorkerMain.class, Parameters.class, HashingAlgorithm.class)) {
      try {
        out.add(realPath(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())));
      } catch (URISyntaxException | RuntimeException e) {
        throw new FedlinkException(
            ErrorCode.INTERNAL, "cannot locate the jar of " + c.getName() + ": " + e, e);
      }
    }
    return List.copyOf(out);
  }

  private static volatile List<Path> jdkLinks;

  /** Folders outside the JDK its symbolic links point to, found once (the JDK does not change). */
  private static List<Path> linksOutside(Path javaHome) {
    List<Path> links = jdkLinks;
    if (links == null) {
      links = findLinksOutside(javaHome);
      jdkLinks = links;
    }
    return links;
  }

  /** Folders outside the JDK its symbolic links point to (Debian links conf/ into /etc). */
  private static List<Path> findLinksOutside(Path javaHome) {
    Set<Path> out = new LinkedHashSet<>();
    try (Stream<Path> files = Files.walk(javaHome)) {
      files
          .filter(Files::isSymbolicLink)
          .forEach(
              link -> {
                Path target = realPathOrNull(link);
                if (target != null && !target.startsWith(javaHome)) {
                  out.add(Files.isDirectory(target) ? target : target.getParent());
                }
              });
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot list the JDK at " + javaHome + ": " + e, e);
    }
    // Keep only the topmost folders.
    List<Path> sorted = out.stream().sorted().toList();
    List<Path> top = new ArrayList<>();
    for (Path p : sorted) {
      if (top.stream().noneMatch(p::startsWith)) {
        top.add(p);
      }
    }
    return List.copyOf(top);
  }

  private static String readLink(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot read the link " + p + ": " + e, e);
    }
  }

  private static Path realPathOrNull(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null; // a dangling link: nothing to show
    }
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot resolve " + p + ": " + e, e);
    }
  }
}
