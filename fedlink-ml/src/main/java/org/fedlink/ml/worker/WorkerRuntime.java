package org.fedlink.ml.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an optional module adds to a plan worker so that plan JARs can use it: jars for the worker's
 * class path, system properties, and folders the worker may read (under bubblewrap they are bound
 * read-only). Implementations are found with {@link java.util.ServiceLoader} on the node's class
 * path ({@code META-INF/services/org.fedlink.ml.worker.WorkerRuntime}); fedlink-djl's adds DJL, the
 * PyTorch engine and the unpacked libtorch.
 */
public interface WorkerRuntime {

  /** Jars (or class folders) to append to the worker's class path. */
  List<Path> classPath();

  /** System properties for the worker's JVM. */
  Map<String, String> systemProperties();

  /** Folders the worker reads; they must exist once {@link #prepare()} returned. */
  List<Path> readOnlyPaths();

  /**
   * Runs in the node before a worker starts, e.g. to unpack native libraries the worker will only
   * read.
   */
  void prepare();

  /**
   * Whether the plan JAR (the node's verified copy) needs this runtime; a worker of a plan that
   * does not gets none of it (no jars, no folders, no {@link #prepare()}). All by default.
   */
  default boolean neededBy(java.nio.file.Path planJar) {
    return true;
  }
}
