package org.fedlink.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
  @TempDir Path dir;

  @Test
  void recognisesAFullDiskAmongTheCauses() {
    assertThat(
            DiskSpace.isDiskFull(
                new UncheckedIOException(new IOException("No space left on device"))))
        .isTrue();
    assertThat(
            DiskSpace.isDiskFull(
                new FedlinkException(
                    ErrorCode.INTERNAL,
                    "database x",
                    new SQLException("[SQLITE_FULL] Insertion failed (database or disk is full)"))))
        .isTrue();
    assertThat(DiskSpace.isDiskFull(new IOException("Permission denied"))).isFalse();
    assertThat(DiskSpace.isDiskFull(new IllegalStateException("No space left on device")))
        .as("only I/O and database errors count")
        .isFalse();
  }

  @Test
  void findsThePathOfAFileSystemException() {
    Throwable t =
        new UncheckedIOException(new FileSystemException("/srv/blobs/x", null, "No space"));

    assertThat(DiskSpace.pathOf(t)).contains(Path.of("/srv/blobs/x"));
    assertThat(DiskSpace.pathOf(new IOException("x"))).isEmpty();
  }

  @Test
  void readsTheFreeSpaceOfAFolderOrItsNearestExistingParent() {
    long free = DiskSpace.usableBytes(dir);

    assertThat(free).isPositive().isLessThan(Long.MAX_VALUE);
    assertThat(DiskSpace.usableBytes(dir.resolve("not/yet/created"))).isPositive();
    assertThat(DiskSpace.describe(dir))
        .startsWith(dir.toAbsolutePath() + " has ")
        .endsWith(" free");
  }

  @Test
  void formatsBytesForPeople() {
    assertThat(DiskSpace.format(512)).isEqualTo("512 bytes");
    assertThat(DiskSpace.format(131072)).isEqualTo("128.0 KiB (131072 bytes)");
    assertThat(DiskSpace.format(3L << 30)).isEqualTo("3.0 GiB (3221225472 bytes)");
  }

  @Test
  void theRefusalIsResourceExhaustedWithTheFreeSpaceAndTheFix() {
    FedlinkException e = DiskSpace.full("SuperLink", 1024, 4096, "space is freed");

    assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
    assertThat(e)
        .hasMessage(
            "SuperLink disk full: 1.0 KiB (1024 bytes) free, 4.0 KiB (4096 bytes) kept in"
                + " reserve; refused until space is freed");
  }
}
