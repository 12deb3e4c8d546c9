package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanJarContentsTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void listsEntriesWithTheirSizesThePlanClassAndTheSources() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", TestJars.manifest("p.Plan", "test"));
    entries.put("p/Plan.class", new byte[1234]);
    entries.put("p/Plan.java", utf8("package p;\nclass Plan {}\n"));
    entries.put("data/weights.bin", new byte[10_000]);
    Path jar = TestJars.jar(dir.resolve("plan.jar"), entries, 0);

    PlanJarContents c = PlanJarContents.read(jar);

    assertThat(c.jarBytes()).isEqualTo(Files.size(jar));
    assertThat(c.entries())
        .extracting(PlanJarContents.Entry::name)
        .containsExactly("META-INF/MANIFEST.MF", "data/weights.bin", "p/Plan.class", "p/Plan.java");
    assertThat(c.entries())
        .extracting(PlanJarContents.Entry::size)
        .containsExactly((long) entries.get("META-INF/MANIFEST.MF").length, 10_000L, 1234L, 25L);
    assertThat(c.planClass()).contains("p.Plan");
    assertThat(c.sources())
        .containsExactly(new SourceFile("p/Plan.java", "package p;\nclass Plan {}\n"));
    assertThat(c.withheldSources()).isEmpty();
    assertThat(c.unlistedEntries()).isZero();
  }

  @Test
  void planClassComesFromTheServicesFileWithoutAManifestAttribute() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(JarTrainingPlanLoader.SERVICE_FILE, utf8("# the plan\nq.Served\n"));
    Path jar = TestJars.jar(dir.resolve("served.jar"), entries, 0);

    assertThat(PlanJarContents.read(jar).planClass()).contains("q.Served");
    assertThat(PlanJarContents.planClassOf(jar)).contains("q.Served");
  }

  @Test
  void namesNoPlanClassWhenTheServicesFileListsSeveral() throws Exception {
    Path jar =
        TestJars.jar(
            dir.resolve("two.jar"),
            Map.of(JarTrainingPlanLoader.SERVICE_FILE, utf8("a.One\nb.Two\n")),
            0);

    assertThat(PlanJarContents.read(jar).planClass()).isEmpty();
  }

  @Test
  void hostileEntryNamesAreReturnedAsTheyAreAndNoFileIsCreated() throws Exception {
    String hostile = "../../etc/\u001b[2J\u001b[1;1Hevil\r.class";
    Path jar =
        TestJars.jar(
            dir.resolve("hostile.jar"), Map.of(hostile, new byte[3], "/abs/x.java", utf8("x")), 0);
    Path work = Files.createDirectories(dir.resolve("work"));

    PlanJarContents c = PlanJarContents.read(jar);

    assertThat(c.entries()).extracting(PlanJarContents.Entry::name).contains(hostile);
    assertThat(c.sources()).extracting(SourceFile::path).containsExactly("/abs/x.java");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> dir.relativize(p).toString()))
          .containsExactlyInAnyOrder("", "hostile.jar", "work");
    }
    assertThat(work).isEmptyDirectory();
  }

  @Test
  void sourceTextIsBoundedAndNonUtf8SourcesAreWithheld() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("a/Big.java", new byte[PlanSources.MAX_TOTAL_BYTES - 10]);
    entries.put("b/Over.java", utf8("x".repeat(100)));
    entries.put("c/Latin1.java", new byte[] {'c', (byte) 0xe9, 'a'});
    Path jar = TestJars.jar(dir.resolve("big.jar"), entries, 0);

    PlanJarContents c = PlanJarContents.read(jar);

    assertThat(c.sources()).extracting(SourceFile::path).containsExactly("a/Big.java");
    assertThat(c.withheldSources())
        .extracting(PlanJarContents.Withheld::name)
        .containsExactly("b/Over.java", "c/Latin1.java");
    assertThat(c.withheldSources().get(1).reason()).isEqualTo("not UTF-8 text");
    assertThat(c.entries())
        .extracting(PlanJarContents.Entry::size)
        .containsExactly((long) PlanSources.MAX_TOTAL_BYTES - 10, 100L, 3L);
  }

  @Test
  void refusesAFileThatIsNotAJar() throws Exception {
    Path notJar = Files.writeString(dir.resolve("x.jar"), "not a zip");

    assertThatThrownBy(() -> PlanJarContents.read(notJar))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("is not a readable JAR");
    assertThatThrownBy(() -> PlanJarContents.read(dir.resolve("missing.jar")))
        .hasMessageContaining("does not exist");
  }
}
