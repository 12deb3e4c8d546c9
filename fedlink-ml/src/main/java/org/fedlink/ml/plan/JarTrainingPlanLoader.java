package org.fedlink.ml.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingPlan;

/**
 * Loads a researcher's training plan from a JAR, in its own {@link URLClassLoader} whose parent is
 * the class loader of the Fedlink ML API. The plan class is named by the main manifest attribute
 * {@value #PLAN_ATTRIBUTE} or, failing that, by the single line of {@value #SERVICE_FILE} inside
 * the JAR; it must be defined by the JAR, implement {@link TrainingPlan} and have a public
 * no-argument constructor.
 *
 * <p>Loading runs the plan's static initialisers and constructor: call it only for a JAR whose
 * {@link PlanHash} the node approved (when approval is required), and hash the very file you load.
 * On a node that file is a {@link CanonicalPlanJar} copy, so that nothing outside the hash (such as
 * a manifest attribute other than {@value #PLAN_ATTRIBUTE}) reaches the class loader. Stateless and
 * thread-safe.
 */
public final class JarTrainingPlanLoader {
  /** Manifest attribute naming the plan class. */
  public static final String PLAN_ATTRIBUTE = "Fedlink-Training-Plan";

  /** ServiceLoader-style file naming the plan class when the manifest does not. */
  public static final String SERVICE_FILE = "META-INF/services/org.fedlink.ml.TrainingPlan";

  private JarTrainingPlanLoader() {}

  /**
   * Loads the plan of {@code jar}. The class loader stays open for the life of the plan; use {@link
   * #open} to be able to release it.
   *
   * @throws FedlinkException as {@link #open}
   */
  public static TrainingPlan load(Path jar) {
    return open(jar).plan();
  }

  /**
   * Loads the plan of {@code jar} and returns it with its class loader.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the file does not exist; {@link
   *     ErrorCode#INVALID_ARGUMENT} if it is not a JAR, names no plan class (or several), the class
   *     is missing from the JAR or only on the application class path, does not implement {@link
   *     TrainingPlan}, has no public no-argument constructor, or fails to initialise
   */
  public static LoadedTrainingPlan open(Path jar) {
    Objects.requireNonNull(jar, "jar");
    if (!Files.isRegularFile(jar)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "training plan JAR " + jar + " does not exist; check the path");
    }
    String className = planClassName(jar);
    URLClassLoader loader;
    try {
      loader =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, TrainingPlan.class.getClassLoader());
    } catch (IOException e) {
      throw invalid(jar, "cannot be opened: " + e);
    }
    try {
      TrainingPlan plan = instantiate(jar, loader, className);
      return new LoadedTrainingPlan(plan, className, jar, loader);
    } catch (RuntimeException | Error e) {
      try {
        loader.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static String planClassName(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      String attribute = PlanHash.planAttribute(zip);
      if (attribute != null) {
        return attribute;
      }
      ZipEntry services = zip.getEntry(SERVICE_FILE);
      if (services != null) {
        List<String> names = new ArrayList<>();
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(zip.getInputStream(services), StandardCharsets.UTF_8))) {
          for (String line; (line = reader.readLine()) != null; ) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
        }
        if (names.size() == 1) {
          return names.get(0);
        }
        if (names.size() > 1) {
          throw invalid(
              jar,
              "lists "
                  + names.size()
                  + " plans in "
                  + SERVICE_FILE
                  + " "
                  + names
                  + "; name one with the manifest attribute '"
                  + PLAN_ATTRIBUTE
                  + ": <class>'");
        }
      }
      throw invalid(
          jar,
          "names no training plan; add the manifest attribute '"
              + PLAN_ATTRIBUTE
              + ": fully.qualified.ClassName' or the file "
              + SERVICE_FILE);
    } catch (IOException e) {
      throw invalid(jar, "is not a readable JAR (" + e.getMessage() + "); rebuild it");
    }
  }

  private static TrainingPlan instantiate(Path jar, URLClassLoader loader, String className) {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader);
    } catch (ClassNotFoundException e) {
      throw invalid(
          jar,
          "does not contain the training plan class "
              + className
              + " named by its manifest or "
              + SERVICE_FILE);
    } catch (LinkageError e) {
      throw invalid(jar, "training plan class " + className + " cannot be loaded: " + e);
    }
    if (type.getClassLoader() != loader) {
      throw invalid(
          jar,
          "training plan class "
              + className
              + " is not defined by the JAR but by the"
              + " application class path; a plan JAR must contain its own plan class");
    }
    if (!TrainingPlan.class.isAssignableFrom(type)) {
      throw invalid(
          jar,
          "training plan class "
              + className
              + " does not implement "
              + TrainingPlan.class.getName());
    }
    try {
      return (TrainingPlan) type.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw invalid(
          jar, "training plan class " + className + " needs a public no-argument constructor");
    } catch (InstantiationException e) {
      throw invalid(
          jar, "training plan class " + className + " is abstract; name a concrete class");
    } catch (InvocationTargetException e) {
      throw invalid(
          jar, "training plan class " + className + " failed in its constructor: " + e.getCause());
    } catch (LinkageError e) {
      throw invalid(jar, "training plan class " + className + " failed to initialise: " + e);
    }
  }

  private static FedlinkException invalid(Path jar, String problem) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT, "training plan JAR " + jar + " " + problem);
  }
}
