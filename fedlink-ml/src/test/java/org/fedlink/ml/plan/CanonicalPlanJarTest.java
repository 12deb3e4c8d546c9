package org.fedlink.ml.plan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CanonicalPlanJarTest {
  @TempDir static Path work;
  static Map<String, byte[]> benign;
  static Map<String, byte[]> evil;

  @TempDir Path dir;

  @BeforeAll
  static void compilePlans() throws Exception {
    benign =
        TestJars.compile(
            work.resolve("benign"),
            Map.of(
                "p.Plan",
                TestJars.planSource("Plan", "benign"),
                "p.Helper",
                "package p; class Helper {}"));
    evil =
        TestJars.compile(
            work.resolve("evil"), Map.of("p.Plan", TestJars.planSource("Plan", "evil")));
  }

  /** A plan JAR as build tools make them: directories, headers, a manifest section, unsorted. */
  static Map<String, byte[]> plan(String createdBy) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(
        "META-INF/MANIFEST.MF",
        TestJars.manifestLines(
            "Created-By: " + createdBy,
            "Implementation-Version: 1.2",
            "Fedlink-Training-Plan:  p.Plan ",
            "",
            "Name: p/",
            "Sealed: true"));
    entries.put("META-INF/", new byte[0]);
    entries.put("p/", new byte[0]);
    entries.put("p/weights.bin", new byte[] {1, 2, 3});
    entries.put("p/Plan.class", benign.get("p/Plan.class"));
    entries.put("META-INF/services/org.fedlink.ml.TrainingPlan", "p.Plan\n".getBytes(UTF_8));
    entries.put("p/Helper.class", benign.get("p/Helper.class"));
    return entries;
  }

  @ParameterizedTest
  @EnumSource(HashingAlgorithm.class)
  void copyHasTheHashOfItsSource(HashingAlgorithm algorithm) throws Exception {
    Path source = TestJars.jar(dir.resolve("source.jar"), plan("maven"), 1_600_000_000_000L);
    Path target = dir.resolve("copy.jar");

    String returned = CanonicalPlanJar.copy(source, target, algorithm);

    assertThat(returned)
        .isEqualTo(PlanHash.of(source, algorithm))
        .isEqualTo(PlanHash.of(target, algorithm));
  }

  @Test
  void copyHoldsExactlyTheHashedEntriesSortedAfterAMinimalManifest() throws Exception {
    Map<String, byte[]> source = plan("maven");
    Path target = dir.resolve("copy.jar");

    CanonicalPlanJar.copy(
        TestJars.jar(dir.resolve("source.jar"), source, 1_600_000_000_000L),
        target,
        HashingAlgorithm.SHA256);

    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(target.toFile())) {
      for (ZipEntry entry : zip.stream().toList()) {
        names.add(entry.getName());
        assertThat(entry.getTimeLocal()).isEqualTo(LocalDateTime.of(2000, 1, 1, 0, 0));
        assertThat(entry.getExtra()).isNull();
        assertThat(entry.getMethod()).isEqualTo(ZipEntry.STORED);
        byte[] bytes = zip.getInputStream(entry).readAllBytes();
        if (entry.getName().equals("META-INF/MANIFEST.MF")) {
          assertThat(new String(bytes, UTF_8))
              .isEqualTo("Manifest-Version: 1.0\r\nFedlink-Training-Plan: p.Plan\r\n\r\n");
        } else {
          assertThat(bytes).isEqualTo(source.get(entry.getName()));
        }
      }
    }
    assertThat(names)
        .containsExactly(
            "META-INF/MANIFEST.MF",
            "META-INF/services/org.fedlink.ml.TrainingPlan",
            "p/Helper.class",
            "p/Plan.class",
            "p/weights.bin");
  }

  @Test
  void copyOfAPlanNamedByItsServiceFileHasNoPlanAttribute() throws Exception {
    Map<String, byte[]> source = plan("maven");
    source.put("META-INF/MANIFEST.MF", TestJars.manifest(null, "maven"));
    Path target = dir.resolve("copy.jar");

    CanonicalPlanJar.copy(
        TestJars.jar(dir.resolve("source.jar"), source, 0), target, HashingAlgorithm.SHA256);

    try (ZipFile zip = new ZipFile(target.toFile())) {
      assertThat(zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF")).readAllBytes())
          .asString(UTF_8)
          .isEqualTo("Manifest-Version: 1.0\r\n\r\n");
    }
    assertThat(JarTrainingPlanLoader.load(target).id()).isEqualTo("benign");
  }

  @Test
  void copiesOfOnePlanBuiltTwoWaysAreTheSameBytes() throws Exception {
    Map<String, byte[]> reordered = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(plan("gradle").keySet());
    Collections.reverse(names);
    names.forEach(n -> reordered.put(n, plan("gradle").get(n)));
    Path a = TestJars.jar(dir.resolve("a.jar"), plan("maven"), 1_000_000_000_000L);
    Path b = TestJars.jar(dir.resolve("b.jar"), reordered, 1_600_000_000_000L);

    CanonicalPlanJar.copy(a, dir.resolve("a-copy.jar"), HashingAlgorithm.SHA256);
    CanonicalPlanJar.copy(b, dir.resolve("b-copy.jar"), HashingAlgorithm.SHA256);

    assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
    assertThat(Files.readAllBytes(dir.resolve("a-copy.jar")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b-copy.jar")));
  }

  @Test
  void copyIsOwnerOnlyReplacesTheTargetAndLeavesNoTemporaryFile() throws Exception {
    assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
    Path source = TestJars.jar(dir.resolve("source.jar"), plan("maven"), 0);
    Path target = Files.writeString(dir.resolve("copy.jar"), "an older file");

    CanonicalPlanJar.copy(source, target, HashingAlgorithm.SHA256);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
    assertThat(JarTrainingPlanLoader.load(target).id()).isEqualTo("benign");
    assertThat(filesIn(dir)).containsExactlyInAnyOrder("source.jar", "copy.jar");
  }

  @Test
  void refusedSourceLeavesTheTargetAndTheFolderUntouched() throws Exception {
    Map<String, byte[]> signed = plan("maven");
    signed.put("META-INF/PLAN.SF", "signature".getBytes(UTF_8));
    Path source = TestJars.jar(dir.resolve("source.jar"), signed, 0);
    Path target = Files.writeString(dir.resolve("copy.jar"), "an older file");

    assertThatThrownBy(() -> CanonicalPlanJar.copy(source, target, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("signature file META-INF/PLAN.SF");

    assertThat(Files.readString(target)).isEqualTo("an older file");
    assertThat(filesIn(dir)).containsExactlyInAnyOrder("source.jar", "copy.jar");
  }

  @Test
  void unreadableSourceEntryIsTheSourcesFaultNotTheNodes() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("p/data.txt", "data data data data".getBytes(UTF_8));
    entries.putAll(plan("maven"));
    Path source = TestJars.jar(dir.resolve("source.jar"), entries, 0);
    byte[] bytes = Files.readAllBytes(source);
    // The first entry's deflated data follows its 30-byte local header, name and extra field.
    // 0xFF starts a block of the reserved type 3, which every inflater refuses.
    ByteBuffer local = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    bytes[30 + local.getShort(26) + local.getShort(28)] = (byte) 0xFF;
    Files.write(source, bytes);
    Path target = dir.resolve("copy.jar");

    assertThatThrownBy(() -> CanonicalPlanJar.copy(source, target, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("entry p/data.txt cannot be read")
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    assertThat(filesIn(dir)).containsExactly("source.jar");
  }

  @Test
  void missingTargetFolderIsAnInternalErrorNamingIt() throws Exception {
    Path source = TestJars.jar(dir.resolve("source.jar"), plan("maven"), 0);
    Path target = dir.resolve("absent").resolve("copy.jar");

    assertThatThrownBy(() -> CanonicalPlanJar.copy(source, target, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("cannot write the canonical copy")
        .hasMessageContaining(target.toString())
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.INTERNAL));
  }

  @Test
  void multiReleaseAttackIsRefusedAndTheCopyOfTheBenignPlanRunsTheBenignClass() throws Exception {
    Map<String, byte[]> attack = new LinkedHashMap<>();
    attack.put(
        "META-INF/MANIFEST.MF",
        TestJars.manifestLines("Fedlink-Training-Plan: p.Plan", "Multi-Release: true"));
    attack.put("p/Plan.class", benign.get("p/Plan.class"));
    attack.put("META-INF/versions/11/p/Plan.class", evil.get("p/Plan.class"));
    Path attackJar = TestJars.jar(dir.resolve("attack.jar"), attack, 0);
    Path benignJar =
        TestJars.jar(
            dir.resolve("benign.jar"),
            Map.of(
                "META-INF/MANIFEST.MF",
                TestJars.manifest("p.Plan", "x"),
                "p/Plan.class",
                benign.get("p/Plan.class")),
            0);
    Path copy = dir.resolve("copy.jar");

    // The attack is real on this JDK: the class loader picks the versioned class.
    assertThat(JarTrainingPlanLoader.load(attackJar).id()).isEqualTo("evil");
    assertThatThrownBy(() -> PlanHash.of(attackJar, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("multi-release entry META-INF/versions/11/p/Plan.class");
    assertThatThrownBy(() -> CanonicalPlanJar.copy(attackJar, copy, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class);
    assertThat(copy).doesNotExist();

    String hash = CanonicalPlanJar.copy(benignJar, copy, HashingAlgorithm.SHA256);

    assertThat(PlanHash.of(copy, HashingAlgorithm.SHA256))
        .isEqualTo(hash)
        .isEqualTo(PlanHash.of(benignJar, HashingAlgorithm.SHA256));
    assertThat(JarTrainingPlanLoader.load(copy).id()).isEqualTo("benign");
  }

  @Test
  void classPathAttackIsRefused() throws Exception {
    // A plan cache keeps every received JAR in one folder, so Class-Path could name another one.
    TestJars.jar(dir.resolve("other.jar"), Map.of("p/Plan.class", evil.get("p/Plan.class")), 0);
    Path attackJar =
        TestJars.jar(
            dir.resolve("attack.jar"),
            Map.of(
                "META-INF/MANIFEST.MF",
                TestJars.manifestLines("Fedlink-Training-Plan: p.Plan", "Class-Path: other.jar")),
            0);

    assertThat(JarTrainingPlanLoader.load(attackJar).id()).isEqualTo("evil");
    assertThatThrownBy(() -> PlanHash.of(attackJar, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("manifest attribute 'Class-Path'");
  }

  @Test
  void classInADirectoryEntryIsRefused() throws Exception {
    // Asked for p/Plan.class, the JDK's ZipFile also finds "p/Plan.class/"; directories are not
    // hashed, so one holding data could supply the class.
    Path attackJar =
        TestJars.jar(
            dir.resolve("attack.jar"),
            Map.of(
                "META-INF/MANIFEST.MF",
                TestJars.manifest("p.Plan", "x"),
                "p/Plan.class/",
                evil.get("p/Plan.class")),
            0);

    assertThat(JarTrainingPlanLoader.load(attackJar).id()).isEqualTo("evil");
    assertThatThrownBy(() -> PlanHash.of(attackJar, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("directory entry p/Plan.class/ holding data");
  }

  private static List<String> filesIn(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
