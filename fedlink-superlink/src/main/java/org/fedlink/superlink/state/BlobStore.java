package org.fedlink.superlink.state;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.SmallBlobs;

/**
 * Blob contents as files under the SuperLink's home ({@code blobs/<id>}), their metadata in {@link
 * LinkState}. An upload is written to {@code <id>.part}, checked against the announced size and
 * SHA-256, synced and renamed, and only then recorded: a killed SuperLink never serves half a blob.
 * Thread-safe.
 */
public final class BlobStore {
  /** Largest blob accepted. */
  public static final long MAX_BLOB_BYTES = 2L * 1024 * 1024 * 1024 - 1;

  private final Path dir;
  private final LinkState state;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<String, BlobChunk> recentInline =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BlobChunk> eldest) {
          return size() > 8;
        }
      };

  /** An upload in progress; {@code touched} is when its last chunk arrived. */
  private static final class Upload {
    final long owner;
    final FileChannel channel;
    final MessageDigest digest;
    volatile long touched = System.nanoTime();

    Upload(long owner, FileChannel channel, MessageDigest digest) {
      this.owner = owner;
      this.channel = channel;
      this.digest = digest;
    }
  }

  public BlobStore(Path dir, LinkState state) {
    this.dir = dir;
    this.state = state;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.CONFIGURATION, "cannot create " + dir + ": " + e, e);
    }
  }

  /**
   * Appends a chunk of an upload by {@code owner} (node id, 0 for the researcher).
   *
   * @return bytes held for this blob after the chunk
   */
  public long append(long owner, BlobChunk chunk) {
    String id = chunk.getBlobId();
    requireValidId(id);
    if (state.blobOwner(id).isPresent()) {
      throw new FedlinkException(ErrorCode.ALREADY_EXISTS, "blob " + id + " already exists");
    }
    try {
      Upload up;
      if (chunk.getOffset() == 0) {
        Upload old = uploads.remove(id);
        if (old != null) {
          if (old.owner != owner) {
            uploads.put(id, old);
            throw new FedlinkException(
                ErrorCode.REFUSED, "blob " + id + " belongs to another party");
          }
          old.channel.close();
        }
        FileChannel ch =
            FileChannel.open(
                part(id),
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        up = new Upload(owner, ch, MessageDigest.getInstance("SHA-256"));
        uploads.put(id, up);
      } else {
        up = uploads.get(id);
        if (up == null || up.owner != owner) {
          throw new FedlinkException(
              ErrorCode.FAILED_PRECONDITION,
              "no upload in progress for blob " + id + "; restart it");
        }
      }
      synchronized (up) {
        up.touched = System.nanoTime();
        long size = up.channel.size();
        if (chunk.getOffset() != size) {
          throw new FedlinkException(
              ErrorCode.FAILED_PRECONDITION,
              "blob " + id + ": chunk at offset " + chunk.getOffset() + ", expected " + size);
        }
        if (size + chunk.getData().size() > MAX_BLOB_BYTES) {
          abort(id, up);
          throw new FedlinkException(
              ErrorCode.INVALID_ARGUMENT, "blob " + id + " exceeds " + MAX_BLOB_BYTES + " bytes");
        }
        ByteBuffer buf = chunk.getData().asReadOnlyByteBuffer();
        up.digest.update(buf.duplicate());
        while (buf.hasRemaining()) {
          up.channel.write(buf, up.channel.size());
        }
        long received = up.channel.size();
        if (chunk.getLast()) {
          finish(id, up, chunk, received);
        }
        return received;
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot store blob " + id, e);
    }
  }

  private void finish(String id, Upload up, BlobChunk last, long size) throws IOException {
    byte[] sha = up.digest.digest();
    if (size != last.getTotalSize()
        || !MessageDigest.isEqual(sha, last.getSha256().toByteArray())) {
      abort(id, up);
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "blob " + id + ": size or checksum does not match; resend it");
    }
    // No fsync: a rename survives a killed process, which is the failure the state is built for
    // (the SQLite journal makes the same trade with synchronous=NORMAL).
    up.channel.close();
    uploads.remove(id);
    Files.move(
        part(id), file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    state.insertBlob(id, up.owner, size, sha, System.currentTimeMillis());
  }

  private void abort(String id, Upload up) throws IOException {
    uploads.remove(id);
    up.channel.close();
    Files.deleteIfExists(part(id));
  }

  /**
   * Drops uploads that received no chunk for {@code idle}: a peer that went away mid-upload must
   * not keep a file open forever. Its next chunk is then refused and it starts over.
   *
   * @return how many were dropped
   */
  public int dropIdleUploads(java.time.Duration idle) {
    long now = System.nanoTime();
    int dropped = 0;
    for (Map.Entry<String, Upload> e : uploads.entrySet()) {
      Upload up = e.getValue();
      synchronized (up) {
        if (now - up.touched > idle.toNanos() && uploads.remove(e.getKey(), up)) {
          try {
            up.channel.close();
            Files.deleteIfExists(part(e.getKey()));
          } catch (IOException ex) {
            // The part file is left behind; it is never served and is truncated if reused.
          }
          dropped++;
        }
      }
    }
    return dropped;
  }

  /** Streams a complete blob in chunks to {@code sink}. */
  public void read(String blobId, Consumer<BlobChunk> sink) {
    requireValidId(blobId);
    Path f = file(blobId);
    try (InputStream in = Files.newInputStream(f)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      long total = Files.size(f);
      long offset = 0;
      byte[] buf = new byte[BlobTransfer.CHUNK_BYTES];
      do {
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
        }
        sink.accept(c.build());
        offset += n;
      } while (offset < total);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new FedlinkException(ErrorCode.NOT_FOUND, "blob " + blobId + " does not exist");
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot read blob " + blobId, e);
    }
  }

  /**
   * A complete blob as one chunk if it is small enough to travel inline ({@link
   * SmallBlobs#fitsInline}), else empty. The last few are kept in memory: a round sends the same
   * model to every node.
   */
  public Optional<BlobChunk> inline(String blobId) {
    if (!BlobTransfer.isValidId(blobId)) {
      return Optional.empty();
    }
    synchronized (recentInline) {
      BlobChunk c = recentInline.get(blobId);
      if (c != null) {
        return Optional.of(c);
      }
    }
    Path f = file(blobId);
    try {
      if (!Files.isRegularFile(f) || !SmallBlobs.fitsInline(Files.size(f))) {
        return Optional.empty();
      }
      BlobChunk c = SmallBlobs.wholeChunk(blobId, Files.readAllBytes(f));
      synchronized (recentInline) {
        recentInline.put(blobId, c);
      }
      return Optional.of(c);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Deletes a blob's file and record. */
  public void delete(String blobId) {
    requireValidId(blobId);
    synchronized (recentInline) {
      recentInline.remove(blobId);
    }
    try {
      Files.deleteIfExists(file(blobId));
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot delete blob " + blobId, e);
    }
    state.deleteBlob(blobId);
  }

  private static void requireValidId(String id) {
    if (!BlobTransfer.isValidId(id)) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "blob id must be a UUID");
    }
  }

  private Path file(String id) {
    return dir.resolve(id);
  }

  private Path part(String id) {
    return dir.resolve(id + ".part");
  }
}
