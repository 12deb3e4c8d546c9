package org.fedlink.superlink.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.SmallBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  private static final long NODE = 5;
  private static final long OTHER_NODE = 6;

  @TempDir Path home;
  private Path blobs;
  private SqliteLinkState state;
  private BlobStore store;
  private final ManualClock clock = new ManualClock();

  @BeforeEach
  void open() {
    blobs = home.resolve("blobs");
    state = SqliteLinkState.open(home.resolve("superlink.sqlite"));
    store = new BlobStore(blobs, state, clock);
  }

  @AfterEach
  void close() {
    state.close();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The chunks BlobTransfer would send for {@code data}, without a receiver. */
  private static List<BlobChunk> chunks(String id, byte[] data) {
    List<BlobChunk> out = new ArrayList<>();
    long[] sent = {0};
    BlobTransfer.upload(
        id,
        data,
        c -> {
          out.add(c);
          sent[0] += c.getData().size();
          return sent[0];
        });
    return out;
  }

  private byte[] readBack(String id) {
    List<BlobChunk> got = new ArrayList<>();
    store.read(id, got::add);
    return BlobTransfer.download(id, got.iterator());
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(blobs)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(FedlinkException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void chunkedUploadReadsBackEqualAndIsRecorded() throws IOException {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(2 * BlobTransfer.CHUNK_BYTES + 12345, 1);

    BlobTransfer.upload(id, data, c -> store.append(NODE, c));

    List<BlobChunk> served = new ArrayList<>();
    store.read(id, served::add);
    assertThat(served).hasSize(3);
    assertThat(BlobTransfer.download(id, served.iterator())).isEqualTo(data);
    assertThat(state.blobOwner(id)).contains(NODE);
    assertThat(files()).containsExactly(id);
  }

  @Test
  void emptyBlobRoundTrips() {
    String id = BlobTransfer.newBlobId();

    BlobTransfer.upload(id, new byte[0], c -> store.append(NODE, c));

    assertThat(readBack(id)).isEmpty();
    assertThat(state.blobOwner(id)).contains(NODE);
  }

  @Test
  void appendReturnsTheBytesHeld() {
    String id = BlobTransfer.newBlobId();
    List<BlobChunk> c = chunks(id, random(BlobTransfer.CHUNK_BYTES + 7, 2));

    assertThat(store.append(NODE, c.get(0))).isEqualTo(BlobTransfer.CHUNK_BYTES);
    assertThat(store.append(NODE, c.get(1))).isEqualTo(BlobTransfer.CHUNK_BYTES + 7L);
  }

  @Test
  void refusesAChunkAtTheWrongOffsetAndKeepsTheUpload() {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(2 * BlobTransfer.CHUNK_BYTES + 1, 3);
    List<BlobChunk> c = chunks(id, data);
    store.append(NODE, c.get(0));

    assertCode(
        () -> store.append(NODE, c.get(2)),
        ErrorCode.FAILED_PRECONDITION,
        "chunk at offset "
            + 2L * BlobTransfer.CHUNK_BYTES
            + ", expected "
            + BlobTransfer.CHUNK_BYTES);
    assertCode(
        () -> store.append(NODE, c.get(0).toBuilder().setOffset(1).build()),
        ErrorCode.FAILED_PRECONDITION,
        "chunk at offset 1");

    store.append(NODE, c.get(1));
    store.append(NODE, c.get(2));
    assertThat(readBack(id)).isEqualTo(data);
  }

  @Test
  void refusesAContinuationWithoutAnUploadInProgress() {
    String id = BlobTransfer.newBlobId();
    List<BlobChunk> c = chunks(id, random(BlobTransfer.CHUNK_BYTES + 1, 4));

    assertCode(
        () -> store.append(NODE, c.get(1)),
        ErrorCode.FAILED_PRECONDITION,
        "no upload in progress for blob " + id);
  }

  @Test
  void checksumMismatchIsRefusedAndNothingIsRecorded() throws IOException {
    String id = BlobTransfer.newBlobId();
    List<BlobChunk> c = chunks(id, random(BlobTransfer.CHUNK_BYTES + 100, 5));
    byte[] badSha = c.get(1).getSha256().toByteArray();
    badSha[0] ^= 1;
    store.append(NODE, c.get(0));

    assertCode(
        () ->
            store.append(NODE, c.get(1).toBuilder().setSha256(ByteString.copyFrom(badSha)).build()),
        ErrorCode.INVALID_ARGUMENT,
        "size or checksum does not match; resend it");

    assertThat(state.blobOwner(id)).isEmpty();
    assertThat(files()).isEmpty();
    assertCode(() -> store.read(id, x -> {}), ErrorCode.NOT_FOUND, "does not exist");
    // The aborted upload is gone: a continuation must restart from 0.
    assertCode(() -> store.append(NODE, c.get(1)), ErrorCode.FAILED_PRECONDITION, "restart it");
  }

  @Test
  void sizeMismatchIsRefusedAndNothingIsRecorded() throws IOException {
    String id = BlobTransfer.newBlobId();
    BlobChunk only = chunks(id, random(100, 6)).get(0);

    assertCode(
        () -> store.append(NODE, only.toBuilder().setTotalSize(101).build()),
        ErrorCode.INVALID_ARGUMENT,
        "size or checksum");

    assertThat(state.blobOwner(id)).isEmpty();
    assertThat(files()).isEmpty();
  }

  @Test
  void anUnfinishedUploadIsNeverServed() throws IOException {
    String id = BlobTransfer.newBlobId();
    List<BlobChunk> c = chunks(id, random(BlobTransfer.CHUNK_BYTES + 1, 7));
    store.append(NODE, c.get(0));

    assertThat(files()).containsExactly(id + ".part");
    assertCode(
        () -> store.read(id, x -> {}), ErrorCode.NOT_FOUND, "blob " + id + " does not exist");
  }

  @Test
  void aLeftoverPartFileIsNotServed() throws IOException {
    String id = BlobTransfer.newBlobId();
    Files.write(blobs.resolve(id + ".part"), random(10, 8));

    assertCode(() -> store.read(id, x -> {}), ErrorCode.NOT_FOUND, "does not exist");
  }

  @Test
  void invalidIdsAreRefusedBeforeTouchingTheDisk() throws IOException {
    for (String bad : List.of("../x", "../" + BlobTransfer.newBlobId(), "", "a/b", "x.part")) {
      BlobChunk chunk =
          BlobChunk.newBuilder()
              .setBlobId(bad)
              .setData(ByteString.copyFromUtf8("evil"))
              .setLast(true)
              .setTotalSize(4)
              .build();

      assertCode(() -> store.append(NODE, chunk), ErrorCode.INVALID_ARGUMENT, "must be a UUID");
      assertCode(() -> store.read(bad, x -> {}), ErrorCode.INVALID_ARGUMENT, "must be a UUID");
      assertCode(() -> store.delete(bad), ErrorCode.INVALID_ARGUMENT, "must be a UUID");
    }
    assertThat(files()).isEmpty();
    try (Stream<Path> s = Files.list(home)) {
      assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("x", "x.part");
    }
  }

  @Test
  void anUploadCanRestartFromOffsetZero() {
    String id = BlobTransfer.newBlobId();
    List<BlobChunk> abandoned = chunks(id, random(2 * BlobTransfer.CHUNK_BYTES + 5, 9));
    store.append(NODE, abandoned.get(0));
    store.append(NODE, abandoned.get(1));
    byte[] data = random(BlobTransfer.CHUNK_BYTES + 3, 10);

    BlobTransfer.upload(id, data, c -> store.append(NODE, c));

    assertThat(readBack(id)).isEqualTo(data);
  }

  @Test
  void anotherOwnerCannotWriteIntoAnUpload() {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(2 * BlobTransfer.CHUNK_BYTES + 5, 11);
    List<BlobChunk> c = chunks(id, data);
    List<BlobChunk> intruder = chunks(id, random(2 * BlobTransfer.CHUNK_BYTES + 5, 12));
    store.append(NODE, c.get(0));

    assertCode(
        () -> store.append(OTHER_NODE, intruder.get(0)),
        ErrorCode.REFUSED,
        "belongs to another party");
    assertCode(
        () -> store.append(OTHER_NODE, intruder.get(1)),
        ErrorCode.FAILED_PRECONDITION,
        "no upload in progress");

    store.append(NODE, c.get(1));
    store.append(NODE, c.get(2));
    assertThat(readBack(id)).isEqualTo(data);
    assertThat(state.blobOwner(id)).contains(NODE);
  }

  @Test
  void aCompleteBlobCannotBeOverwritten() {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(100, 13);
    BlobTransfer.upload(id, data, c -> store.append(NODE, c));

    for (long owner : new long[] {NODE, OTHER_NODE}) {
      assertCode(
          () -> BlobTransfer.upload(id, random(100, 14), c -> store.append(owner, c)),
          ErrorCode.ALREADY_EXISTS,
          "blob " + id + " already exists");
    }
    assertThat(readBack(id)).isEqualTo(data);
  }

  @Test
  void deleteRemovesFileAndRecord() throws IOException {
    String id = BlobTransfer.newBlobId();
    BlobTransfer.upload(id, random(100, 15), c -> store.append(NODE, c));

    store.delete(id);

    assertThat(files()).isEmpty();
    assertThat(state.blobOwner(id)).isEmpty();
    assertCode(() -> store.read(id, x -> {}), ErrorCode.NOT_FOUND, "does not exist");
  }

  @Test
  void servedChunksCarrySizeAndChecksumOnTheLastOnly() {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(BlobTransfer.CHUNK_BYTES + 1, 16);
    BlobTransfer.upload(id, data, c -> store.append(NODE, c));
    List<BlobChunk> served = new ArrayList<>();

    store.read(id, served::add);

    assertThat(served).extracting(BlobChunk::getLast).containsExactly(false, true);
    assertThat(served.get(1).getTotalSize()).isEqualTo(data.length);
    assertThat(served.get(1).getSha256().toByteArray()).isEqualTo(BlobTransfer.sha256(data));
  }

  @Test
  void idleUploadsAreDroppedAndMustStartOver() throws IOException {
    String id = UUID.randomUUID().toString();
    List<BlobChunk> parts = chunks(id, random(3 * BlobTransfer.CHUNK_BYTES, 3));
    store.append(NODE, parts.get(0));

    clock.advance(Duration.ofMinutes(10));
    assertThat(store.dropIdleUploads(Duration.ofMinutes(10))).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(store.dropIdleUploads(Duration.ofMinutes(10))).isEqualTo(1);

    assertThatThrownBy(() -> store.append(NODE, parts.get(1)))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("no upload in progress");
    try (var files = Files.list(blobs)) {
      assertThat(files.filter(f -> f.toString().endsWith(".part"))).isEmpty();
    }
  }

  @Test
  void aChunkResetsTheIdleTime() {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(3 * BlobTransfer.CHUNK_BYTES, 4);
    List<BlobChunk> parts = chunks(id, data);
    store.append(NODE, parts.get(0));
    clock.advance(Duration.ofMinutes(9));
    store.append(NODE, parts.get(1));
    clock.advance(Duration.ofMinutes(9));

    assertThat(store.dropIdleUploads(Duration.ofMinutes(10))).isZero();
    store.append(NODE, parts.get(2));
    assertThat(readBack(id)).isEqualTo(data);
  }

  /** Chunks of {@code size} bytes, as a peer with a small chunk size would send them. */
  private static List<BlobChunk> smallChunks(String id, byte[] data, int size) {
    List<BlobChunk> out = new ArrayList<>();
    for (int off = 0; off < data.length; off += size) {
      int n = Math.min(size, data.length - off);
      BlobChunk.Builder c =
          BlobChunk.newBuilder()
              .setBlobId(id)
              .setOffset(off)
              .setData(ByteString.copyFrom(data, off, n))
              .setLast(off + n == data.length);
      if (off + n == data.length) {
        c.setTotalSize(data.length).setSha256(ByteString.copyFrom(BlobTransfer.sha256(data)));
      }
      out.add(c.build());
    }
    return out;
  }

  @Test
  void concurrentRestartsAndIdleSweepsNeverWriteToAClosedUpload() throws Exception {
    int blobsToUpload = 40;
    List<String> ids = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    for (int i = 0; i < blobsToUpload; i++) {
      ids.add(BlobTransfer.newBlobId());
      contents.add(random(64 * 8, 100 + i));
    }
    List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(5);
    try {
      // One sweeper drops every upload as idle, again and again, while writers use them.
      java.util.concurrent.Future<?> sweeper =
          pool.submit(
              () -> {
                while (writing.get()) {
                  clock.advance(Duration.ofHours(1));
                  store.dropIdleUploads(Duration.ofMinutes(10));
                }
              });
      // Four writers upload the same blobs at once, each restarting the others' uploads.
      List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < blobsToUpload; i++) {
                    List<BlobChunk> chunks = smallChunks(ids.get(i), contents.get(i), 64);
                    for (int attempt = 0; attempt < 50; attempt++) {
                      try {
                        for (BlobChunk c : chunks) {
                          store.append(NODE, c);
                        }
                        break;
                      } catch (FedlinkException e) {
                        if (e.code() == ErrorCode.ALREADY_EXISTS) {
                          break;
                        }
                        if (e.code() != ErrorCode.FAILED_PRECONDITION) {
                          unexpected.add(e);
                        }
                      } catch (RuntimeException e) {
                        unexpected.add(e);
                      }
                    }
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : writers) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      writing.set(false);
      sweeper.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(unexpected).as("errors other than 'restart it'").isEmpty();
    for (int i = 0; i < blobsToUpload; i++) {
      if (state.blobOwner(ids.get(i)).isPresent()) {
        assertThat(readBack(ids.get(i))).isEqualTo(contents.get(i));
      }
    }
    store.dropIdleUploads(Duration.ZERO);
    clock.advance(Duration.ofMillis(1));
    store.dropIdleUploads(Duration.ZERO);
    assertThat(files()).noneMatch(f -> f.endsWith(".part"));
  }

  @Test
  void aSmallBlobSentWholeIsKeptInItsRowNotAsAFile() throws IOException {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(SmallBlobs.INLINE_LIMIT, 21);

    assertThat(store.append(NODE, SmallBlobs.wholeChunk(id, data))).isEqualTo(data.length);

    assertThat(files()).isEmpty();
    assertThat(state.blobData(id)).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
    assertThat(state.blobOwner(id)).contains(NODE);
    assertThat(state.blob(id)).contains(new BlobRecord(id, data.length));
    assertThat(readBack(id)).isEqualTo(data);
    assertThat(store.inline(id))
        .hasValueSatisfying(c -> assertThat(c.getData().toByteArray()).isEqualTo(data));
  }

  @Test
  void aBlobOneByteOverTheInlineSizeStaysAFile() throws IOException {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(SmallBlobs.INLINE_LIMIT + 1, 22);

    store.append(NODE, SmallBlobs.wholeChunk(id, data));

    assertThat(files()).containsExactly(id);
    assertThat(state.blobData(id)).isEmpty();
    assertThat(readBack(id)).isEqualTo(data);
  }

  @Test
  void aBlobKeptInItsRowSurvivesARestart() {
    String id = BlobTransfer.newBlobId();
    byte[] data = random(1000, 23);
    store.append(NODE, SmallBlobs.wholeChunk(id, data));
    state.close();

    state = SqliteLinkState.open(home.resolve("superlink.sqlite"));
    store = new BlobStore(blobs, state, clock);

    assertThat(readBack(id)).isEqualTo(data);
    assertThat(store.inline(id))
        .hasValueSatisfying(c -> assertThat(c.getData().toByteArray()).isEqualTo(data));
  }

  @Test
  void aBlobKeptInItsRowIsCheckedAndCannotBeReplaced() {
    String id = BlobTransfer.newBlobId();
    BlobChunk whole = SmallBlobs.wholeChunk(id, random(300, 24));
    byte[] badSha = whole.getSha256().toByteArray();
    badSha[3] ^= 1;

    assertCode(
        () -> store.append(NODE, whole.toBuilder().setSha256(ByteString.copyFrom(badSha)).build()),
        ErrorCode.INVALID_ARGUMENT,
        "size or checksum does not match");
    assertThat(state.blobOwner(id)).isEmpty();

    store.append(NODE, whole);
    BlobChunk other = SmallBlobs.wholeChunk(id, random(300, 25));
    assertCode(() -> store.append(OTHER_NODE, other), ErrorCode.ALREADY_EXISTS, "already exists");
    assertThat(state.blobOwner(id)).contains(NODE);
    assertThat(readBack(id)).isEqualTo(whole.getData().toByteArray());
  }

  @Test
  void deletingABlobKeptInItsRowReportsItsBytes() {
    String id = BlobTransfer.newBlobId();
    store.append(NODE, SmallBlobs.wholeChunk(id, random(777, 26)));

    assertThat(store.delete(id)).isEqualTo(777);

    assertThat(state.blobOwner(id)).isEmpty();
    assertThat(state.blobData(id)).isEmpty();
    assertThat(store.inline(id)).isEmpty();
    assertCode(() -> store.read(id, x -> {}), ErrorCode.NOT_FOUND, "does not exist");
  }

  @Test
  void aBlobKeptInItsRowIsHeldToTheBlobSizeQuota() {
    BlobStore small = new BlobStore(blobs, state, clock, 0, 100, Integer.MAX_VALUE);
    String id = BlobTransfer.newBlobId();

    assertCode(
        () -> small.append(NODE, SmallBlobs.wholeChunk(id, random(101, 27))),
        ErrorCode.RESOURCE_EXHAUSTED,
        "max_blob_mb");
    assertThat(state.blobOwner(id)).isEmpty();
  }
}
