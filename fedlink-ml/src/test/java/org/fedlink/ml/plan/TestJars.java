package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles small plan classes and packs them into JARs, for tests. */
final class TestJars {
  private TestJars() {}

  /** Compiles {@code sources} (class name -> source) and returns entry name -> class bytes. */
  static Map<String, byte[]> compile(Path work, Map<String, String> sources) throws IOException {
    Path src = Files.createDirectories(work.resolve("src"));
    Path out = Files.createDirectories(work.resolve("classes"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "-d",
                out.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                "-nowarn"));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(new String[0])))
        .as("javac exit code")
        .isZero();
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        classes.put(out.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
    }
    return classes;
  }

  /** A JAR with {@code entries} in the given order, each stamped {@code time} ms. */
  static Path jar(Path file, Map<String, byte[]> entries, long time) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(time);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  /** Manifest text naming {@code planClass} (null for none), with an extra varying header. */
  static byte[] manifest(String planClass, String createdBy) {
    StringBuilder m =
        new StringBuilder("Manifest-Version: 1.0\r\nCreated-By: " + createdBy + "\r\n");
    if (planClass != null) {
      m.append(JarTrainingPlanLoader.PLAN_ATTRIBUTE).append(": ").append(planClass).append("\r\n");
    }
    return m.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Manifest text of these header lines, after {@code Manifest-Version: 1.0}. */
  static byte[] manifestLines(String... headers) {
    StringBuilder m = new StringBuilder("Manifest-Version: 1.0\r\n");
    for (String header : headers) {
      m.append(header).append("\r\n");
    }
    return m.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Source of a minimal plan in package {@code p} named {@code name} with id {@code id}. */
  static String planSource(String name, String id) {
    return "package p;\n"
        + "import org.fedlink.core.Parameters;\n"
        + "import org.fedlink.ml.*;\n"
        + "public class "
        + name
        + " implements TrainingPlan {\n"
        + "  public String id() { return \""
        + id
        + "\"; }\n"
        + "  public Parameters initialize(DataSummary s, TrainingArgs a) { throw new UnsupportedOperationException(); }\n"
        + "  public LocalUpdate train(Parameters g, Dataset d, TrainingArgs a) { throw new UnsupportedOperationException(); }\n"
        + "  public Metrics evaluate(Parameters p, Dataset d) { throw new UnsupportedOperationException(); }\n"
        + "}\n";
  }
}
