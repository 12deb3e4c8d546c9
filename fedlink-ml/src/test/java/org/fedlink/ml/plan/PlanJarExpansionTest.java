package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JARs built to expand far beyond their size: the readers stop at their limits. */
class PlanJarExpansionTest {
  @TempDir Path dir;

  @Test
  void contentsRefuseEntriesThatShareCompressedDataPastTheTotalLimit() throws Exception {
    Path jar = Files.write(dir.resolve("shared.jar"), sharedDataJar(4, 1 << 20));

    assertThat(PlanJarContents.read(jar, 8L << 20).entries())
        .extracting(PlanJarContents.Entry::size)
        .containsExactly(1L << 20, 1L << 20, 1L << 20, 1L << 20);
    assertThatThrownBy(() -> PlanJarContents.read(jar, 2L << 20))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("expands to more than " + (2L << 20) + " bytes")
        .extracting(e -> ((FedlinkException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void aManifestOverTheLimitIsRefusedBeforeItIsParsed() throws Exception {
    String repeated = "A: b\r\n".repeat(PlanHash.MAX_MANIFEST_BYTES / 6 + 1);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(
        "META-INF/MANIFEST.MF",
        ("Manifest-Version: 1.0\r\n" + repeated + "\r\n").getBytes(StandardCharsets.UTF_8));
    entries.put("p/Plan.class", new byte[10]);
    Path jar = TestJars.jar(dir.resolve("manifest.jar"), entries, 0);

    assertThatThrownBy(() -> PlanHash.of(jar, HashingAlgorithm.SHA256))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("manifest larger than " + PlanHash.MAX_MANIFEST_BYTES + " bytes");
    assertThatThrownBy(() -> PlanJarContents.read(jar))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("manifest is larger than " + PlanHash.MAX_MANIFEST_BYTES + " bytes");
    assertThatThrownBy(() -> PlanJarContents.planClassOf(jar))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("manifest is larger than");
  }

  /**
   * A ZIP whose {@code count} central directory entries all point at one deflated run of {@code
   * size} zero bytes: legal for the JDK's reader, and {@code count} times larger once expanded.
   */
  private static byte[] sharedDataJar(int count, int size) {
    byte[] zeros = new byte[size];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(zeros);
    deflater.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!deflater.finished()) {
      compressed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    byte[] data = compressed.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(zeros);
    int crc32 = (int) crc.getValue();

    byte[] local = "data.bin".getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate((1 << 16) + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8);
    out.putInt(0).putInt(crc32).putInt(data.length).putInt(size);
    out.putShort((short) local.length).putShort((short) 0).put(local).put(data);
    int centralStart = out.position();
    for (int i = 0; i < count; i++) {
      byte[] name = ("entry" + i + ".bin").getBytes(StandardCharsets.UTF_8);
      out.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0);
      out.putShort((short) 8).putInt(0).putInt(crc32).putInt(data.length).putInt(size);
      out.putShort((short) name.length).putShort((short) 0).putShort((short) 0);
      out.putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(name);
    }
    int centralSize = out.position() - centralStart;
    out.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
    out.putShort((short) count).putShort((short) count).putInt(centralSize).putInt(centralStart);
    out.putShort((short) 0);
    byte[] zip = new byte[out.position()];
    out.flip().get(zip);
    return zip;
  }
}
