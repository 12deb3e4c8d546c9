package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.DiskSpace;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.Run;
import org.fedlink.superlink.state.BlobStore;
import org.fedlink.superlink.state.SqliteLinkState;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.SmallBlobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SuperLink's storage on a really full disk (a 2 MiB tmpfs filled to the last byte): the failed
 * write is recognised, refused with RESOURCE_EXHAUSTED, leaves no file behind, and the database
 * keeps every committed row. Needs root to mount the tmpfs.
 */
class FullDiskStorageTest {
  /** Past the inline size: stored as a file, its record a row. */
  private static final int FILE_BYTES = SmallBlobs.INLINE_LIMIT + 1;

  private static final long TMPFS_BYTES = 2L * 1024 * 1024;

  @TempDir Path dir;

  private static String upload(BlobStore store, long seed, int size) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    String id = BlobTransfer.newBlobId();
    long[] got = {0};
    BlobTransfer.upload(
        id,
        data,
        c -> {
          got[0] = store.append(0, c);
          return got[0];
        });
    return id;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void aWriteThatHitsAFullDiskIsRecognisedWithItsPath() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), TMPFS_BYTES)) {
      disk.fillLeaving(0);
      Path file = disk.dir().resolve("more");

      IOException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IOException.class, () -> Files.write(file, new byte[64 * 1024]));

      assertThat(DiskSpace.isDiskFull(e)).as("%s", e).isTrue();
      assertThat(DiskSpace.usableBytes(disk.dir())).isZero();
    }
  }

  @Test
  void aSmallBlobWhoseRowCannotBeWrittenIsRefusedAndNothingIsLeft() throws Exception {
    Path blobs = dir.resolve("blobs");
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("db"), TMPFS_BYTES)) {
      SqliteLinkState state = SqliteLinkState.open(disk.dir().resolve("superlink.sqlite"));
      try {
        BlobStore store = new BlobStore(blobs, state, java.time.Clock.systemUTC(), 0);
        String kept = BlobTransfer.newBlobId();
        byte[] before = new byte[10_000];
        new Random(5).nextBytes(before);
        store.append(1, SmallBlobs.wholeChunk(kept, before));
        Path filler = disk.fillLeaving(0);
        String id = BlobTransfer.newBlobId();
        byte[] small = new byte[10_000];
        new Random(4).nextBytes(small);

        assertThatThrownBy(() -> store.append(1, SmallBlobs.wholeChunk(id, small)))
            .isInstanceOfSatisfying(
                FedlinkException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
            .hasMessageStartingWith("SuperLink disk full: 0 bytes free");
        assertThat(state.blobOwner(id)).isEmpty();
        assertThat(names(blobs)).as("no file either").isEmpty();
        assertThat(state.blobData(kept)).hasValueSatisfying(d -> assertThat(d).isEqualTo(before));

        Files.delete(filler);
        store.append(1, SmallBlobs.wholeChunk(id, small));
        assertThat(state.blobData(id)).hasValueSatisfying(d -> assertThat(d).isEqualTo(small));
      } finally {
        state.close();
      }
    }
  }

  @Test
  void aBlobWhoseRecordCannotBeWrittenIsRefusedAndTheDatabaseKeepsItsRows() throws Exception {
    Path blobs = dir.resolve("blobs");
    Path db;
    String kept;
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("db"), TMPFS_BYTES)) {
      db = disk.dir().resolve("superlink.sqlite");
      SqliteLinkState state = SqliteLinkState.open(db);
      try {
        BlobStore store = new BlobStore(blobs, state, java.time.Clock.systemUTC(), 0);
        state.createRun(Run.newBuilder().setRunId("before").build());
        kept = upload(store, 1, FILE_BYTES);
        Path filler = disk.fillLeaving(0);

        assertThatThrownBy(() -> upload(store, 2, FILE_BYTES))
            .isInstanceOfSatisfying(
                FedlinkException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
            .hasMessageStartingWith("SuperLink disk full: 0 bytes free");
        assertThat(names(blobs)).as("no file without its record").containsExactly(kept);
        assertThatThrownBy(() -> state.createRun(Run.newBuilder().setRunId("lost").build()))
            .satisfies(e -> assertThat(DiskSpace.isDiskFull(e)).isTrue());

        Files.delete(filler);
        state.createRun(Run.newBuilder().setRunId("after").build());
        String later = upload(store, 3, FILE_BYTES);
        assertThat(names(blobs)).containsExactlyInAnyOrder(kept, later);
      } finally {
        state.close();
      }
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
          ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ok");
      }
      SqliteLinkState reopened = SqliteLinkState.open(db);
      try {
        assertThat(reopened.run("before")).isPresent();
        assertThat(reopened.run("after")).isPresent();
        assertThat(reopened.run("lost")).isEmpty();
        BlobStore store = new BlobStore(blobs, reopened, java.time.Clock.systemUTC(), 0);
        List<BlobChunk> chunks = new ArrayList<>();
        store.read(kept, chunks::add);
        byte[] expected = new byte[FILE_BYTES];
        new Random(1).nextBytes(expected);
        // download checks the size and SHA-256 the last chunk carries.
        assertThat(BlobTransfer.download(kept, chunks.iterator())).isEqualTo(expected);
      } finally {
        reopened.close();
      }
    }
  }
}
