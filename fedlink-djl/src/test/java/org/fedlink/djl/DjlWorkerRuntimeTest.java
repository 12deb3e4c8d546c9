package org.fedlink.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.fedlink.ml.worker.WorkerRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a plan worker receives so that plan JARs can use DJL. */
class DjlWorkerRuntimeTest {
  @TempDir Path dir;

  @Test
  void isFoundAsAServiceAndGivesTheDjlJarsWithLibtorch() {
    WorkerRuntime r = ServiceLoader.load(WorkerRuntime.class).findFirst().orElseThrow();
    assertThat(r).isInstanceOf(DjlWorkerRuntime.class);
    assertThat(r.classPath().stream().map(p -> p.getFileName().toString()))
        .anyMatch(n -> n.startsWith("pytorch-native-cpu-") && n.endsWith("linux-x86_64.jar"))
        .anyMatch(n -> n.startsWith("pytorch-jni-"))
        .anyMatch(n -> n.startsWith("pytorch-engine-"))
        .anyMatch(n -> n.startsWith("api-"));
    assertThat(r.readOnlyPaths()).containsExactly(DjlRuntime.cacheDir().toAbsolutePath());
    assertThat(r.systemProperties())
        .containsEntry(
            DjlRuntime.CACHE_PROPERTY, DjlRuntime.cacheDir().toAbsolutePath().toString());
  }

  @Test
  void preparingUnpacksLibtorchOnceForWorkersThatOnlyRead() throws Exception {
    assertThat(DjlWorkerRuntime.unpacked(dir)).isFalse();
    Files.createDirectories(dir.resolve("pytorch/2.7.1-cpu"));
    assertThat(DjlWorkerRuntime.unpacked(dir)).isFalse();
    new DjlWorkerRuntime().prepare();
    assertThat(DjlWorkerRuntime.unpacked(DjlRuntime.cacheDir())).isTrue();
  }

  @Test
  void onlyPlansThatNameDjlGetIt() throws Exception {
    DjlWorkerRuntime r = new DjlWorkerRuntime();
    // A plan class that names nothing of DJL: its worker gets no DJL jar and no libtorch.
    assertThat(r.neededBy(jar("plain.jar", "p/Plan.class", "java/lang/Object p/Plan"))).isFalse();
    // A class naming a DJL type, or a manifest naming a class of fedlink-djl: it does.
    assertThat(r.neededBy(jar("djl.jar", "p/Plan.class", "ai/djl/nn/Block"))).isTrue();
    assertThat(
            r.neededBy(
                jar(
                    "manifest.jar",
                    "META-INF/MANIFEST.MF",
                    "Manifest-Version: 1.0\nFedlink-Plan: org.fedlink.djl.CnnPlan\n")))
        .isTrue();
    // A TorchScript model wrapped as a plan: the class the wrapper writes extends fedlink-djl's.
    assertThat(
            r.neededBy(
                jar(
                    "ts.jar",
                    "fedlink/torchscript/ScriptedModel.class",
                    new String(
                        TorchScriptJar.planClass(), java.nio.charset.StandardCharsets.ISO_8859_1))))
        .isTrue();
    // A file that is not a JAR counts as needing it (the worker reports the problem).
    Path broken = dir.resolve("broken.jar");
    Files.writeString(broken, "not a zip");
    assertThat(r.neededBy(broken)).isTrue();
  }

  private Path jar(String file, String entry, String content) throws Exception {
    Path p = dir.resolve(file);
    try (java.util.zip.ZipOutputStream z =
        new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
      z.putNextEntry(new java.util.zip.ZipEntry(entry));
      z.write(content.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      z.closeEntry();
    }
    return p;
  }
}
