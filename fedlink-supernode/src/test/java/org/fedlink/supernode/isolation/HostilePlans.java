package org.fedlink.supernode.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds training-plan JARs whose {@code train} runs a given Java statement block, compiled in the
 * test. A probe block sets {@code double ok} (1 if what it tried worked), returned as metric "ok".
 */
final class HostilePlans {
  private HostilePlans() {}

  /**
   * A plan JAR whose train runs {@code body}, which may assign {@code ok} and use {@code g} (the
   * global model), {@code d} (the data) and {@code a} (the training arguments).
   */
  static Path build(Path work, String name, String body) throws IOException {
    String source =
        "package hostile;\n"
            + "import org.fedlink.core.*;\n"
            + "import org.fedlink.ml.*;\n"
            + "import java.util.*;\n"
            + "import java.nio.file.*;\n"
            + "public final class "
            + name
            + " implements TrainingPlan {\n"
            + "  public String id() { return \""
            + name
            + "\"; }\n"
            + "  public Parameters initialize(DataSummary s, TrainingArgs a) {\n"
            + "    throw new UnsupportedOperationException(); }\n"
            + "  static int depth(int n) { return depth(n + 1) + 1; }\n"
            + "  public LocalUpdate train(Parameters g, Dataset d, TrainingArgs a) {\n"
            + "    double ok = 0;\n"
            + "    try {\n"
            + body
            + "\n    } catch (Exception e) { ok = 0; System.err.println(\"probe: \" + e); }\n"
            + "    return new LocalUpdate(g, d.rows(), Map.of(\"ok\", ok)); }\n"
            + "  public Metrics evaluate(Parameters p, Dataset d) {\n"
            + "    return new Metrics(0.5, 1.0, d.rows()); }\n"
            + "}\n";
    Path build = work.resolve("build-" + name);
    Path src = build.resolve("src/hostile/" + name + ".java");
    Path out = build.resolve("classes");
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
            "-proc:none",
            src.toString());
    assertThat(rc).as("javac exit code for " + name).isZero();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Fedlink-Training-Plan", "hostile." + name);
    Path jar = work.resolve(name + ".jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream jo = new JarOutputStream(file, manifest)) {
      try (var classes = Files.list(out.resolve("hostile"))) {
        for (Path c : classes.sorted().toList()) {
          jo.putNextEntry(new JarEntry("hostile/" + c.getFileName()));
          jo.write(Files.readAllBytes(c));
          jo.closeEntry();
        }
      }
    }
    return jar;
  }
}
