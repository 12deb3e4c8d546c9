package org.fedlink.ml.plan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlanHashTest {
  @TempDir static Path work;
  static Map<String, byte[]> classes;

  @TempDir Path dir;

  @BeforeAll
  static void compilePlans() throws Exception {
    classes =
        TestJars.compile(
            work,
            Map.of(
                "p.Plan",
                TestJars.planSource("Plan", "one"),
                "p.Helper",
                "package p; class Helper {}"));
  }

  Map<String, byte[]> entries(String createdBy, boolean reversed) {
    List<String> names = new ArrayList<>(classes.keySet());
    if (reversed) {
      Collections.reverse(names);
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", TestJars.manifest("p.Plan", createdBy));
    if (!reversed) {
      entries.put("p/", new byte[0]);
    }
    for (String name : names) {
      entries.put(name, classes.get(name));
    }
    return entries;
  }

  @Test
  void ignoresEntryOrderTimestampsDirectoriesAndManifestHeaders() throws Exception {
    Path a = TestJars.jar(dir.resolve("a.jar"), entries("maven", false), 1_000_000_000_000L);
    Path b = TestJars.jar(dir.resolve("b.jar"), entries("gradle", true), 1_600_000_000_000L);

    assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
    assertThat(PlanHash.of(a, HashingAlgorithm.SHA256))
        .isEqualTo(PlanHash.of(b, HashingAlgorithm.SHA256));
  }

  @Test
  void changedClassChangesTheHash() throws Exception {
    Path a = TestJars.jar(dir.resolve("a.jar"), entries("x", false), 0);
    Map<String, byte[]> changed = entries("x", false);
    byte[] plan = changed.get("p/Plan.class").clone();
    Map<String, byte[]> other =
        TestJars.compile(dir.resolve("w"), Map.of("p.Plan", TestJars.planSource("Plan", "two")));
    changed.put("p/Plan.class", other.get("p/Plan.class"));
    Path b = TestJars.jar(dir.resolve("b.jar"), changed, 0);

    assertThat(other.get("p/Plan.class")).isNotEqualTo(plan);
    assertThat(PlanHash.of(a, HashingAlgorithm.SHA256))
        .isNotEqualTo(PlanHash.of(b, HashingAlgorithm.SHA256));
  }

  @Test
  void addedResourceAndChangedPlanAttributeChangeTheHash() throws Exception {
    String base =
        PlanHash.of(
            TestJars.jar(dir.resolve("a.jar"), entries("x", false), 0), HashingAlgorithm.SHA256);
    Map<String, byte[]> withResource = entries("x", false);
    withResource.put("p/weights.bin", new byte[] {1});
    Map<String, byte[]> otherPlan = entries("x", false);
    otherPlan.put("META-INF/MANIFEST.MF", TestJars.manifest("p.Helper", "x"));

    assertThat(
            PlanHash.of(
                TestJars.jar(dir.resolve("b.jar"), withResource, 0), HashingAlgorithm.SHA256))
        .isNotEqualTo(base);
    assertThat(
            PlanHash.of(TestJars.jar(dir.resolve("c.jar"), otherPlan, 0), HashingAlgorithm.SHA256))
        .isNotEqualTo(base);
  }

  @Test
  void matchesTheDocumentedCanonicalForm() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("b.txt", "B".getBytes(UTF_8));
    entries.put("META-INF/MANIFEST.MF", TestJars.manifest("p.Plan", "x"));
    entries.put("a/", new byte[0]);
    entries.put("a/A.class", new byte[] {(byte) 0xCA, (byte) 0xFE});
    Path jar = TestJars.jar(dir.resolve("k.jar"), entries, 0);

    ByteArrayOutputStream canonical = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(canonical);
    for (byte[] field :
        List.of(
            "fedlink.plan-hash.v1".getBytes(UTF_8),
            "a/A.class".getBytes(UTF_8),
            new byte[] {(byte) 0xCA, (byte) 0xFE},
            "b.txt".getBytes(UTF_8),
            "B".getBytes(UTF_8),
            "META-INF/MANIFEST.MF#Fedlink-Training-Plan".getBytes(UTF_8),
            "p.Plan".getBytes(UTF_8))) {
      out.writeLong(field.length);
      out.write(field);
    }
    String expected =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toByteArray()));

    assertThat(PlanHash.of(jar, HashingAlgorithm.SHA256)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(HashingAlgorithm.class)
  void everyAlgorithmGivesHexOfItsLength(HashingAlgorithm algorithm) throws Exception {
    Path jar = TestJars.jar(dir.resolve("a.jar"), entries("x", false), 0);

    String hash = PlanHash.of(jar, algorithm);

    assertThat(hash).hasSize(2 * algorithm.digestLength()).matches("[0-9a-f]+");
    assertThat(PlanHash.of(jar, algorithm)).isEqualTo(hash);
  }

  @Test
  void configurationAllowsExactlyTheImplementedAlgorithms() {
    assertThat(org.fedlink.core.config.ConfigKeys.HASHING_ALGORITHMS)
        .containsExactly(
            java.util.Arrays.stream(HashingAlgorithm.values())
                .map(Enum::name)
                .toArray(String[]::new));
  }

  @Test
  void algorithmsGiveDistinctHashes() throws Exception {
    Path jar = TestJars.jar(dir.resolve("a.jar"), entries("x", false), 0);
    Set<String> hashes = new HashSet<>();
    for (HashingAlgorithm a : HashingAlgorithm.values()) {
      hashes.add(PlanHash.of(jar, a));
    }
    assertThat(hashes).hasSize(HashingAlgorithm.values().length);
  }

  @Test
  void refusesJarWithDuplicateEntryNames() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("p/X.class", new byte[] {1});
    entries.put("p/Y.class", new byte[] {2});
    Path jar = TestJars.jar(dir.resolve("dup.jar"), entries, 0);
    // Names are stored verbatim in local and central headers and not covered by the CRC.
    String bytes =
        new String(Files.readAllBytes(jar), java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(
        jar,
        bytes
            .replace("p/Y.class", "p/X.class")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> PlanHash.of(jar, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("holds two entries named p/X.class");
  }

  @Test
  void refusesMissingFileAndNonJar() throws Exception {
    Path text = Files.writeString(dir.resolve("plan.jar"), "not a zip");

    assertThatThrownBy(() -> PlanHash.of(dir.resolve("missing.jar"), HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("does not exist")
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> PlanHash.of(text, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("is not a valid JAR")
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  @Test
  void refusesOnlyTheNamesTheClassLoaderCouldActOnOutsideTheHash() {
    assertThat(PlanJarReader.refusal("META-INF/MANIFEST.MF")).isNull();
    assertThat(PlanJarReader.refusal("META-INF/services/org.fedlink.ml.TrainingPlan")).isNull();
    assertThat(PlanJarReader.refusal("META-INF/maven/g/a/pom.properties")).isNull();
    assertThat(PlanJarReader.refusal("META-INF/LICENSE")).isNull();
    assertThat(PlanJarReader.refusal("p/Plan.class")).isNull();
    assertThat(PlanJarReader.refusal("p/KEY.SF")).isNull();
    assertThat(PlanJarReader.refusal("p/jar")).isNull();
    assertThat(PlanJarReader.refusal("META-INF/KEY.SF")).contains("signature file");
    assertThat(PlanJarReader.refusal("META-INF/key.ec")).contains("signature file");
    assertThat(PlanJarReader.refusal("META-INF/SIG-ONE")).contains("signature file");
    assertThat(PlanJarReader.refusal("META-INF/Manifest.mf")).contains("named exactly");
    assertThat(PlanJarReader.refusal("META-INF/versions/17/p/A.class")).contains("multi-release");
    assertThat(PlanJarReader.refusal("meta-inf/Versions/9/")).contains("multi-release");
    assertThat(PlanJarReader.refusal("META-INF/index.list")).contains("JAR index");
    assertThat(PlanJarReader.refusal("lib/x.JMOD")).contains("nested archive");
  }

  @Test
  void namesInMessagesStayOnOneLine() {
    assertThat(PlanJarReader.shown("a\nb\u2028c\u0085d")).isEqualTo("a\\u000ab\\u2028c\\u0085d");
    assertThat(PlanJarReader.shown("x".repeat(500))).hasSize(203).endsWith("...");
  }
}
