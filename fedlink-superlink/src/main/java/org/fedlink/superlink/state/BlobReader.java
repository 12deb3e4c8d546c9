package org.fedlink.superlink.state;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.transport.BlobTransfer;

/**
 * Reads a complete blob one chunk at a time, so a download can be paced by its reader: the last
 * chunk carries the total size and the SHA-256 of what was read. Not thread-safe; close it.
 */
public final class BlobReader implements AutoCloseable {
  private final String blobId;
  private final InputStream in;
  private final long total;
  private final MessageDigest digest;
  private final byte[] buf = new byte[BlobTransfer.CHUNK_BYTES];
  private long offset;
  private boolean done;

  /** Reads a blob kept in its row. */
  BlobReader(String blobId, byte[] data) {
    this.blobId = blobId;
    this.total = data.length;
    this.in = new java.io.ByteArrayInputStream(data);
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot read blob " + blobId, e);
    }
  }

  BlobReader(String blobId, Path file) {
    this.blobId = blobId;
    try {
      this.total = Files.size(file);
      this.in = Files.newInputStream(file);
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchFileException e) {
      throw new FedlinkException(ErrorCode.NOT_FOUND, "blob " + blobId + " does not exist");
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot read blob " + blobId, e);
    }
  }

  /** True once the last chunk was returned. */
  public boolean done() {
    return done;
  }

  /**
   * The next chunk; an empty blob is one empty last chunk.
   *
   * @throws IllegalStateException after the last chunk
   * @throws FedlinkException INTERNAL if the file cannot be read
   */
  public BlobChunk next() {
    if (done) {
      throw new IllegalStateException("blob " + blobId + " was read to the end");
    }
    try {
      int n = in.readNBytes(buf, 0, buf.length);
      digest.update(buf, 0, n);
      boolean last = offset + n >= total;
      BlobChunk.Builder c =
          BlobChunk.newBuilder()
              .setBlobId(blobId)
              .setOffset(offset)
              .setData(ByteString.copyFrom(buf, 0, n))
              .setLast(last);
      if (last) {
        c.setTotalSize(total).setSha256(ByteString.copyFrom(digest.digest()));
        done = true;
      }
      offset += n;
      return c.build();
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot read blob " + blobId, e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // Read-only: nothing was lost.
    }
  }
}
