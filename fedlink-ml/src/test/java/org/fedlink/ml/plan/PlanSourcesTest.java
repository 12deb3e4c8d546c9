package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanSourcesTest {
  @TempDir Path dir;

  @Test
  void readsTheJavaFilesUnderADirectoryByRelativePath() throws Exception {
    Files.createDirectories(dir.resolve("demo/plans"));
    Files.writeString(dir.resolve("demo/plans/Plan.java"), "package demo.plans;\n");
    Files.writeString(dir.resolve("demo/Util.java"), "package demo; // é\n");
    Files.writeString(dir.resolve("demo/notes.txt"), "not a source");

    PlanSources s = PlanSources.read(dir);

    assertThat(s.files())
        .containsExactly(
            new SourceFile("demo/Util.java", "package demo; // é\n"),
            new SourceFile("demo/plans/Plan.java", "package demo.plans;\n"));
    assertThat(PlanSources.of(s.toMap()).files()).isEqualTo(s.files());
  }

  @Test
  void refusesMoreThanOneMebibyteOfSources() throws Exception {
    Files.writeString(dir.resolve("A.java"), "a".repeat(PlanSources.MAX_TOTAL_BYTES / 2));
    Files.writeString(dir.resolve("B.java"), "b".repeat(PlanSources.MAX_TOTAL_BYTES / 2));

    assertThatThrownBy(() -> PlanSources.read(dir))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("exceed 1048576 bytes (1 MiB)");
  }

  @Test
  void refusesASourceFileThatIsNotUtf8() throws Exception {
    Files.write(dir.resolve("Latin1.java"), new byte[] {'c', (byte) 0xe9, '\n'});

    assertThatThrownBy(() -> PlanSources.read(dir))
        .hasMessageContaining("Latin1.java is not UTF-8 text");
  }

  @Test
  void refusesADirectoryWithoutSourcesOrMissing() throws Exception {
    assertThatThrownBy(() -> PlanSources.read(dir)).hasMessageContaining("holds no .java file");
    assertThatThrownBy(() -> PlanSources.read(dir.resolve("nope")))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("does not exist")
        .extracting(e -> ((FedlinkException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void symbolicLinksAreNotFollowed() throws Exception {
    Path outside = Files.writeString(Files.createTempFile("secret", ".java"), "secret");
    try {
      Files.createSymbolicLink(dir.resolve("Link.java"), outside);
      Files.writeString(dir.resolve("Own.java"), "own");

      assertThat(PlanSources.read(dir).toMap()).containsOnlyKeys("Own.java");
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void aRequestIsCheckedAgainstTheSameLimits() {
    Map<String, String> tooMany = new HashMap<>();
    for (int i = 0; i <= PlanSources.MAX_FILES; i++) {
      tooMany.put("F" + i + ".java", "");
    }

    assertThatThrownBy(() -> PlanSources.of(tooMany))
        .hasMessageContaining("more than " + PlanSources.MAX_FILES + " source files");
    assertThatThrownBy(() -> PlanSources.of(Map.of("Big.java", "é".repeat(600_000))))
        .hasMessageContaining("exceed 1048576 bytes");
    assertThatThrownBy(() -> PlanSources.of(Map.of("p".repeat(513), "")))
        .hasMessageContaining("longer than 512 characters");
    assertThat(PlanSources.of(Map.of())).isSameAs(PlanSources.none());
  }
}
