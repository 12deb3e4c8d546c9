package org.fedlink.ml.plan;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.fedlink.ml.TrainingPlan;

/**
 * A training plan loaded from a JAR with the class loader that holds it open. Close it when the
 * plan is no longer used, to release the JAR file; the plan must not be used afterwards (classes it
 * has not loaded yet would be missing). Thread-safe as far as the plan is.
 */
public final class LoadedTrainingPlan implements AutoCloseable {
  private final TrainingPlan plan;
  private final String className;
  private final Path jar;
  private final URLClassLoader loader;

  LoadedTrainingPlan(TrainingPlan plan, String className, Path jar, URLClassLoader loader) {
    this.plan = plan;
    this.className = className;
    this.jar = jar;
    this.loader = loader;
  }

  /** The plan instance. */
  public TrainingPlan plan() {
    return plan;
  }

  /** Fully qualified name of the plan class. */
  public String className() {
    return className;
  }

  /** The JAR it was loaded from. */
  public Path jar() {
    return jar;
  }

  /** The JAR's own class loader (its parent sees the Fedlink API). */
  public ClassLoader classLoader() {
    return loader;
  }

  /** Releases the JAR. @throws IOException if closing the JAR fails */
  @Override
  public void close() throws IOException {
    loader.close();
  }
}
