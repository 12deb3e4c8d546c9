package org.fedlink.ml.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry comment that is not UTF-8 makes {@link java.util.zip.ZipFile} throw {@link
 * IllegalArgumentException} when it hands out the entry; the plan readers refuse the JAR instead.
 * Found by {@link PlanJarContentsFuzzTest}.
 */
class EntryCommentTest {
  @TempDir Path dir;

  @Test
  void aJarWhoseEntryCommentIsNotUtf8IsRefusedAsInvalid() throws Exception {
    Path jar = Files.write(dir.resolve("comment.jar"), jarWithBadComment());

    for (Runnable read :
        new Runnable[] {
          () -> PlanHash.of(jar, HashingAlgorithm.SHA256),
          () -> PlanJarContents.read(jar),
          () -> PlanJarContents.planClassOf(jar)
        }) {
      assertThatThrownBy(read::run)
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining("malformed input")
          .extracting(e -> ((FedlinkException) e).code())
          .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
  }

  private static byte[] jarWithBadComment() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      ZipEntry manifest = new ZipEntry(PlanJarReader.MANIFEST);
      manifest.setComment("COMMENT");
      out.putNextEntry(manifest);
      out.write("Manifest-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    byte[] zip = bytes.toByteArray();
    int at = indexOf(zip, "COMMENT".getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isPositive();
    zip[at] = (byte) 0xff; // never valid in UTF-8
    return zip;
  }

  private static int indexOf(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
