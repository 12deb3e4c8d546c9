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
}
