package org.fedlink.testing.plans;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds researcher plan JARs for tests: a plan class (delegating to the built-in logistic
 * regression, so it really trains) compiled in the test and packed with a chosen entry time.
 */
public final class PlanJars {
  private PlanJars() {}

  /** Compiles plan class {@code demo.plans.<simpleName>} under {@code work}. */
  static byte[] compile(Path work, String simpleName) throws IOException {
    return compile(work, simpleName, "return inner.train(g, d, a);");
  }

  /**
   * Compiles plan class {@code demo.plans.<simpleName>} whose {@code train(g, d, a)} runs {@code
   * trainBody}.
   */
  static byte[] compile(Path work, String simpleName, String trainBody) throws IOException {
    String source =
        "package demo.plans;\n"
            + "import org.fedlink.core.Parameters;\n"
            + "import org.fedlink.ml.*;\n"
            + "public final class "
            + simpleName
            + " implements TrainingPlan {\n"
            + "  private final TrainingPlan inner = new LogisticRegressionPlan();\n"
            + "  public String id() { return \""
            + simpleName
            + "\"; }\n"
            + "  public Parameters initialize(DataSummary s, TrainingArgs a) {\n"
            + "    return inner.initialize(s, a); }\n"
            + "  public LocalUpdate train(Parameters g, Dataset d, TrainingArgs a) {\n"
            + trainBody
            + " }\n"
            + "  public Metrics evaluate(Parameters p, Dataset d) { return inner.evaluate(p, d); }\n"
            + "}\n";
    Path src = work.resolve("src/demo/plans/" + simpleName + ".java");
    Path out = work.resolve("classes");
    Files.createDirectories(src.getParent());
    Files.createDirectories(out);
    Files.writeString(src, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-d",
            out.toString(),
            "-classpath",
            System.getProperty("java.class.path"),
            "-nowarn",
            src.toString());
    assertThat(rc).as("javac exit code").isZero();
    return Files.readAllBytes(out.resolve("demo/plans/" + simpleName + ".class"));
  }

  /** Packs {@code classBytes} as {@code demo.plans.<simpleName>} into {@code jar}. */
  static Path pack(Path jar, String simpleName, byte[] classBytes, long entryTimeMs)
      throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Fedlink-Training-Plan", "demo.plans." + simpleName);
    Files.createDirectories(jar.toAbsolutePath().getParent());
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      JarEntry m = new JarEntry("META-INF/MANIFEST.MF");
      m.setTime(entryTimeMs);
      out.putNextEntry(m);
      manifest.write(out);
      out.closeEntry();
      for (String name : List.of("demo/plans/" + simpleName + ".class")) {
        JarEntry e = new JarEntry(name);
        e.setTime(entryTimeMs);
        out.putNextEntry(e);
        out.write(classBytes);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Compiles and packs a plan in one step. */
  public static Path build(Path work, String simpleName) throws IOException {
    return build(work, simpleName, "return inner.train(g, d, a);");
  }

  /** Compiles and packs a plan whose train runs {@code trainBody}. */
  static Path build(Path work, String simpleName, String trainBody) throws IOException {
    byte[] bytes = compile(work.resolve("build-" + simpleName), simpleName, trainBody);
    return pack(work.resolve(simpleName + ".jar"), simpleName, bytes, 1_600_000_000_000L);
  }
}
