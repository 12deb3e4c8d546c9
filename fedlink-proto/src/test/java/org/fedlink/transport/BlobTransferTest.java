package org.fedlink.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.junit.jupiter.api.Test;

class BlobTransferTest {
  private static final String ID = "123e4567-e89b-42d3-a456-426614174000";

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Uploads through a sink that keeps every chunk and acknowledges what it holds. */
  private static List<BlobChunk> upload(byte[] data) {
    List<BlobChunk> chunks = new ArrayList<>();
    long[] held = {0};
    BlobTransfer.upload(
        ID,
        data,
        c -> {
          chunks.add(c);
          held[0] += c.getData().size();
          return held[0];
        });
    return chunks;
  }

  private static void assertIncomplete(ThrowingCallable call, String why) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("blob " + ID + " incomplete")
        .hasMessageContaining(why);
  }

  @Test
  void roundTripsSmallBlobInOneChunk() {
    byte[] data = random(1000, 1);

    List<BlobChunk> chunks = upload(data);

    assertThat(chunks).hasSize(1);
    BlobChunk only = chunks.get(0);
    assertThat(only.getBlobId()).isEqualTo(ID);
    assertThat(only.getLast()).isTrue();
    assertThat(only.getTotalSize()).isEqualTo(1000);
    assertThat(only.getSha256().toByteArray()).isEqualTo(BlobTransfer.sha256(data));
    assertThat(BlobTransfer.download(ID, chunks.iterator())).isEqualTo(data);
  }

  @Test
  void roundTripsEmptyBlobAsOneLastChunk() {
    List<BlobChunk> chunks = upload(new byte[0]);

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).getLast()).isTrue();
    assertThat(BlobTransfer.download(ID, chunks.iterator())).isEmpty();
  }

  @Test
  void splitsLargeBlobIntoChunksWithIncreasingOffsets() {
    int size = 2 * BlobTransfer.CHUNK_BYTES + BlobTransfer.CHUNK_BYTES / 2;
    byte[] data = random(size, 2);

    List<BlobChunk> chunks = upload(data);

    assertThat(chunks).hasSize(3);
    for (int i = 0; i < 3; i++) {
      BlobChunk c = chunks.get(i);
      assertThat(c.getOffset()).isEqualTo((long) i * BlobTransfer.CHUNK_BYTES);
      assertThat(c.getLast()).isEqualTo(i == 2);
      // Size and checksum travel only with the last chunk.
      assertThat(c.getTotalSize()).isEqualTo(i == 2 ? size : 0);
      assertThat(c.getSha256().isEmpty()).isEqualTo(i != 2);
    }
    assertThat(chunks.get(2).getData().size()).isEqualTo(BlobTransfer.CHUNK_BYTES / 2);
    assertThat(BlobTransfer.download(ID, chunks.iterator())).isEqualTo(data);
  }

  @Test
  void blobOfExactlyOneChunkIsOneChunk() {
    byte[] data = random(BlobTransfer.CHUNK_BYTES, 3);

    List<BlobChunk> chunks = upload(data);

    assertThat(chunks).hasSize(1);
    assertThat(BlobTransfer.download(ID, chunks.iterator())).isEqualTo(data);
  }

  @Test
  void uploadFailsWhenTheReceiverHoldsOtherThanSent() {
    byte[] data = random(100, 4);

    assertThatThrownBy(() -> BlobTransfer.upload(ID, data, c -> 99))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
        .hasMessageContaining("receiver holds 99 bytes, expected 100");
  }

  @Test
  void detectsChunksOutOfOrder() {
    List<BlobChunk> chunks = upload(random(2 * BlobTransfer.CHUNK_BYTES + 10, 5));
    List<BlobChunk> swapped = List.of(chunks.get(1), chunks.get(0), chunks.get(2));

    assertIncomplete(
        () -> BlobTransfer.download(ID, swapped.iterator()),
        "chunk at offset " + BlobTransfer.CHUNK_BYTES + ", expected 0");
  }

  @Test
  void detectsAMissingMiddleChunk() {
    List<BlobChunk> chunks = upload(random(2 * BlobTransfer.CHUNK_BYTES + 10, 6));
    List<BlobChunk> gap = List.of(chunks.get(0), chunks.get(2));

    assertIncomplete(
        () -> BlobTransfer.download(ID, gap.iterator()),
        "chunk at offset " + 2L * BlobTransfer.CHUNK_BYTES);
  }

  @Test
  void detectsAStreamThatEndsEarly() {
    List<BlobChunk> chunks = upload(random(BlobTransfer.CHUNK_BYTES + 10, 7));

    assertIncomplete(
        () -> BlobTransfer.download(ID, chunks.subList(0, 1).iterator()),
        "stream ended before the last chunk");
    assertIncomplete(
        () -> BlobTransfer.download(ID, List.<BlobChunk>of().iterator()),
        "stream ended before the last chunk");
  }

  @Test
  void detectsChecksumMismatch() {
    List<BlobChunk> chunks = new ArrayList<>(upload(random(BlobTransfer.CHUNK_BYTES + 10, 8)));
    byte[] first = chunks.get(0).getData().toByteArray();
    first[12345] ^= 1;
    chunks.set(0, chunks.get(0).toBuilder().setData(ByteString.copyFrom(first)).build());

    assertIncomplete(() -> BlobTransfer.download(ID, chunks.iterator()), "checksum mismatch");
  }

  @Test
  void detectsSizeMismatch() {
    List<BlobChunk> chunks = new ArrayList<>(upload(random(10, 9)));
    chunks.set(0, chunks.get(0).toBuilder().setTotalSize(11).build());

    assertIncomplete(() -> BlobTransfer.download(ID, chunks.iterator()), "size 10, expected 11");
  }

  @Test
  void newIdsAreValidAndDistinct() {
    String a = BlobTransfer.newBlobId();
    String b = BlobTransfer.newBlobId();

    assertThat(BlobTransfer.isValidId(a)).isTrue();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void onlyCanonicalLowerCaseUuidsAreValidIds() {
    assertThat(BlobTransfer.isValidId(ID)).isTrue();
    assertThat(BlobTransfer.isValidId("00000000-0000-0000-0000-000000000000")).isTrue();

    assertThat(BlobTransfer.isValidId(null)).isFalse();
    assertThat(BlobTransfer.isValidId("")).isFalse();
    assertThat(BlobTransfer.isValidId("../x")).isFalse();
    // Right length, but a path.
    assertThat(BlobTransfer.isValidId("../".repeat(12))).isFalse();
    assertThat(BlobTransfer.isValidId(ID.toUpperCase())).isFalse();
    assertThat(BlobTransfer.isValidId("1-1-1-1-1")).isFalse();
    assertThat(BlobTransfer.isValidId(ID + "0")).isFalse();
    assertThat(BlobTransfer.isValidId("123e4567-e89b-42d3-a456-42661417400/")).isFalse();
    assertThat(BlobTransfer.isValidId("123e4567/e89b-42d3-a456-426614174000")).isFalse();
  }

  @Test
  void sha256MatchesTheKnownAnswer() {
    assertThat(
            HexFormat.of()
                .formatHex(BlobTransfer.sha256("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
