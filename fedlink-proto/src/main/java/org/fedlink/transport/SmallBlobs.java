package org.fedlink.transport;

import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlink.proto.v1.BlobChunk;

/**
 * Blobs small enough to travel inline, beside the task or result that names them, instead of by a
 * separate download: a round of a small model then costs a few calls per node instead of five.
 * Received inline blobs wait here until the download they replace takes them. Bounded by total
 * bytes (oldest dropped first, and then downloaded as usual); thread-safe.
 */
public final class SmallBlobs {
  /** Largest blob sent inline. */
  public static final int INLINE_LIMIT = 512 * 1024;

  private final long capacityBytes;
  private final Map<String, byte[]> blobs = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  public SmallBlobs(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** True if a blob of this size goes inline. */
  public static boolean fitsInline(long size) {
    return size <= INLINE_LIMIT;
  }

  /** One final chunk holding all of {@code data}. */
  public static BlobChunk wholeChunk(String blobId, byte[] data) {
    return BlobChunk.newBuilder()
        .setBlobId(blobId)
        .setOffset(0)
        .setData(com.google.protobuf.ByteString.copyFrom(data))
        .setLast(true)
        .setTotalSize(data.length)
        .setSha256(com.google.protobuf.ByteString.copyFrom(BlobTransfer.sha256(data)))
        .build();
  }

  /**
   * Keeps an inline blob if it is whole and its checksum matches; ignores it otherwise (the
   * download it would have replaced then happens as usual).
   */
  public void accept(BlobChunk chunk) {
    byte[] data = chunk.getData().toByteArray();
    if (chunk.getOffset() != 0
        || !chunk.getLast()
        || chunk.getTotalSize() != data.length
        || data.length > INLINE_LIMIT
        || !MessageDigest.isEqual(BlobTransfer.sha256(data), chunk.getSha256().toByteArray())) {
      return;
    }
    synchronized (this) {
      byte[] old = blobs.put(chunk.getBlobId(), data);
      bytes += data.length - (old == null ? 0 : old.length);
      Iterator<Map.Entry<String, byte[]>> it = blobs.entrySet().iterator();
      while (bytes > capacityBytes && it.hasNext()) {
        bytes -= it.next().getValue().length;
        it.remove();
      }
    }
  }

  /** Removes and returns the blob if it arrived inline, or null. */
  public synchronized byte[] take(String blobId) {
    byte[] data = blobs.remove(blobId);
    if (data != null) {
      bytes -= data.length;
    }
    return data;
  }
}
