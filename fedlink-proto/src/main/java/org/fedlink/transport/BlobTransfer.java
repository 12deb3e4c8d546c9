package org.fedlink.transport;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.UUID;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;

/**
 * Splits a blob into chunks for upload and reassembles a downloaded one, checking its size and
 * SHA-256. Models are therefore not bounded by one gRPC message.
 */
public final class BlobTransfer {
  /** Bytes per chunk on the wire. */
  public static final int CHUNK_BYTES = 1024 * 1024;

  private BlobTransfer() {}

  /** Sends one chunk, returning the number of bytes the receiver holds. */
  @FunctionalInterface
  public interface ChunkSink {
    long send(BlobChunk chunk);
  }

  /** A fresh blob identifier. */
  public static String newBlobId() {
    return UUID.randomUUID().toString();
  }

  /** True if {@code id} has the form of a blob id (a UUID), so it is safe as a file name. */
  public static boolean isValidId(String id) {
    if (id == null || id.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(id).toString().equals(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Uploads {@code data} as blob {@code blobId} in chunks through {@code sink}. */
  public static void upload(String blobId, byte[] data, ChunkSink sink) {
    byte[] sha = sha256(data);
    int offset = 0;
    do {
      int n = Math.min(CHUNK_BYTES, data.length - offset);
      boolean last = offset + n == data.length;
      BlobChunk.Builder chunk =
          BlobChunk.newBuilder()
              .setBlobId(blobId)
              .setOffset(offset)
              .setData(ByteString.copyFrom(data, offset, n))
              .setLast(last);
      if (last) {
        chunk.setTotalSize(data.length).setSha256(ByteString.copyFrom(sha));
      }
      long received = sink.send(chunk.build());
      if (received != offset + n) {
        throw new FedlinkException(
            ErrorCode.INTERNAL,
            "blob " + blobId + ": receiver holds " + received + " bytes, expected " + (offset + n));
      }
      offset += n;
    } while (offset < data.length);
  }

  /**
   * Reassembles a blob from its chunks in order.
   *
   * @throws FedlinkException if chunks are out of order, the stream ends early, or the size or
   *     checksum do not match
   */
  public static byte[] download(String blobId, Iterator<BlobChunk> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (chunks.hasNext()) {
      BlobChunk c = chunks.next();
      if (c.getOffset() != out.size()) {
        throw corrupt(blobId, "chunk at offset " + c.getOffset() + ", expected " + out.size());
      }
      byte[] piece = c.getData().toByteArray();
      out.write(piece, 0, piece.length);
      if (c.getLast()) {
        byte[] data = out.toByteArray();
        if (c.getTotalSize() != data.length) {
          throw corrupt(blobId, "size " + data.length + ", expected " + c.getTotalSize());
        }
        if (!MessageDigest.isEqual(sha256(data), c.getSha256().toByteArray())) {
          throw corrupt(blobId, "checksum mismatch");
        }
        return data;
      }
    }
    throw corrupt(blobId, "stream ended before the last chunk");
  }

  private static FedlinkException corrupt(String blobId, String why) {
    return new FedlinkException(ErrorCode.UNAVAILABLE, "blob " + blobId + " incomplete: " + why);
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
