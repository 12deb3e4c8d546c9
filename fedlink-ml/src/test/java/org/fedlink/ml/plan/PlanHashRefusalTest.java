package org.fedlink.ml.plan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way of putting something the class loader acts on outside the hash is refused. */
class PlanHashRefusalTest {
  @TempDir Path dir;

  static Map<String, byte[]> plan(byte[] manifest) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/MANIFEST.MF", manifest);
    entries.put("p/", new byte[0]);
    entries.put("p/Plan.class", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
    entries.put("p/data.txt", "data".getBytes(UTF_8));
    return entries;
  }

  static Map<String, byte[]> plan() {
    return plan(TestJars.manifest("p.Plan", "test"));
  }

  Path jar(Map<String, byte[]> entries) throws IOException {
    return TestJars.jar(Files.createTempFile(dir, "plan", ".jar"), entries, 0);
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path jar) {
    return assertThatThrownBy(() -> PlanHash.of(jar, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageStartingWith("training plan JAR " + jar + " ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
  }

  @Test
  void acceptsTheOrdinaryPlan() throws Exception {
    assertThat(PlanHash.of(jar(plan()), HashingAlgorithm.SHA256)).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Multi-Release: true", "Multi-Release: false", "multi-release: TRUE"})
  void refusesMultiReleaseAttributeWhateverItsValue(String header) throws Exception {
    Path jar = jar(plan(TestJars.manifestLines("Fedlink-Training-Plan: p.Plan", header)));

    assertRefused(jar)
        .hasMessageContaining("manifest attribute 'Multi-Release'")
        .hasMessageContaining("remove the attribute");
  }

  @Test
  void refusesClassPathAttribute() throws Exception {
    Path jar =
        jar(plan(TestJars.manifestLines("Fedlink-Training-Plan: p.Plan", "Class-Path: lib.jar")));

    assertRefused(jar)
        .hasMessageContaining("manifest attribute 'Class-Path'")
        .hasMessageContaining("put the classes it needs into the plan JAR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"META-INF/versions/11/p/Plan.class", "meta-inf/Versions/9/x.txt"})
  void refusesVersionedEntryEvenWithoutTheAttribute(String name) throws Exception {
    Map<String, byte[]> entries = plan();
    entries.put(name, new byte[] {1});

    assertRefused(jar(entries))
        .hasMessageContaining("multi-release entry " + name)
        .hasMessageContaining("remove META-INF/versions/");
  }

  @Test
  void refusesJarIndex() throws Exception {
    Map<String, byte[]> entries = plan();
    entries.put("META-INF/INDEX.LIST", "JarIndex-Version: 1.0\n\nother.jar\np\n".getBytes(UTF_8));

    assertRefused(jar(entries))
        .hasMessageContaining("META-INF/INDEX.LIST")
        .hasMessageContaining("without an index");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lib/dep.jar", "lib/dep.ZIP", "web.war", "java.base.Jmod"})
  void refusesNestedArchives(String name) throws Exception {
    Map<String, byte[]> entries = plan();
    entries.put(name, new byte[] {'P', 'K', 3, 4});

    assertRefused(jar(entries))
        .hasMessageContaining("nested archive " + name)
        .hasMessageContaining("unpack them into the plan JAR");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "META-INF/PLAN.SF",
        "META-INF/PLAN.RSA",
        "META-INF/PLAN.DSA",
        "META-INF/PLAN.EC",
        "META-INF/SIG-PLAN",
        "META-INF/plan.sf"
      })
  void refusesSignatureFiles(String name) throws Exception {
    Map<String, byte[]> entries = plan();
    entries.put(name, "signature".getBytes(UTF_8));

    assertRefused(jar(entries))
        .hasMessageContaining("signature file " + name)
        .hasMessageContaining("signed JARs are not supported")
        .hasMessageContaining("approval of the plan hash replaces the signature");
  }

  @Test
  void refusesManifestNamedInAnotherCase() throws Exception {
    // JarFile falls back to a case-insensitive match, so this would be the class loader's manifest
    // while the hash skipped it and saw no attribute.
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("META-INF/manifest.mf", TestJars.manifestLines("Multi-Release: true"));
    entries.put("p/Plan.class", new byte[] {1});

    assertRefused(jar(entries))
        .hasMessageContaining("entry META-INF/manifest.mf")
        .hasMessageContaining("must be named exactly META-INF/MANIFEST.MF");
  }

  @Test
  void refusesDirectoryEntryHoldingData() throws Exception {
    Map<String, byte[]> entries = plan();
    entries.put("p/Other.class/", new byte[] {(byte) 0xCA, (byte) 0xFE});

    assertRefused(jar(entries))
        .hasMessageContaining("directory entry p/Other.class/ holding data")
        .hasMessageContaining("must be empty");
  }

  @Test
  void refusesMoreEntriesThanAllowed() throws Exception {
    Path jar = dir.resolve("many.jar");
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(jar));
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (int i = 0; i <= PlanHash.MAX_ENTRIES; i++) {
        ZipEntry entry = new ZipEntry("r/" + i);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(0);
        entry.setCrc(0);
        zip.putNextEntry(entry);
        zip.closeEntry();
      }
    }

    assertRefused(jar).hasMessageContaining("has 65537 entries, more than the 65536 allowed");
  }

  @Test
  void refusesJarDeclaringMoreThanTheTotalLimit() throws Exception {
    Path jar = zeros(3, 180 << 20);

    assertRefused(jar).hasMessageContaining("expands to more than 536870912 bytes");
  }

  @Test
  void refusesJarExpandingPastTheTotalLimitWhateverItDeclares() throws Exception {
    Path jar = zeros(5, 110 << 20);
    declareUncompressedSizeOne(jar);
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
      assertThat(zip.stream().mapToLong(ZipEntry::getSize).sum()).isEqualTo(5);
    }

    assertRefused(jar).hasMessageContaining("expands to more than 536870912 bytes");
  }

  @Test
  void namesInMessagesCannotBreakTheLine() throws Exception {
    Map<String, byte[]> entries = plan();
    entries.put("x\nb.jar", new byte[] {1});

    assertRefused(jar(entries)).hasMessageContaining("nested archive x\\u000ab.jar");
  }

  /** A JAR of {@code count} deflated entries of {@code size} zero bytes. */
  Path zeros(int count, int size) throws IOException {
    Path jar = dir.resolve("zeros.jar");
    byte[] chunk = new byte[1 << 20];
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(jar));
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.setLevel(Deflater.BEST_SPEED);
      for (int i = 0; i < count; i++) {
        zip.putNextEntry(new ZipEntry("z/" + i + ".bin"));
        for (int n = 0; n < size; n += chunk.length) {
          zip.write(chunk, 0, Math.min(chunk.length, size - n));
        }
        zip.closeEntry();
      }
    }
    return jar;
  }

  /** Rewrites the uncompressed size of every central directory entry as 1. */
  static void declareUncompressedSizeOne(Path jar) throws IOException {
    try (FileChannel ch =
        FileChannel.open(jar, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(end, ch.size() - 22);
      assertThat(end.getInt(0)).as("end of central directory, no comment").isEqualTo(0x06054b50);
      int entries = end.getShort(10) & 0xffff;
      long pos = end.getInt(16) & 0xffffffffL;
      for (int i = 0; i < entries; i++) {
        ByteBuffer cen = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(cen, pos);
        assertThat(cen.getInt(0)).as("central directory header").isEqualTo(0x02014b50);
        ByteBuffer one = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1);
        ch.write(one, pos + 24);
        pos += 46 + (cen.getShort(28) & 0xffff) + (cen.getShort(30) & 0xffff);
        pos += cen.getShort(32) & 0xffff;
      }
    }
  }
}
