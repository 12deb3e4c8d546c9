package org.fedlink.superlink.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.store.DiskSpace;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.superlink.Quotas;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.SmallBlobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob contents as files under the SuperLink's home ({@code blobs/<id>}), their metadata in {@link
 * LinkState}. An upload is written to {@code <id>.part}, checked against the announced size and
 * SHA-256, flushed to disk ({@code fsync}), renamed, the folder flushed too, and only then
 * recorded: neither a killed SuperLink nor a power loss leaves a recorded blob half written.
 *
 * <p>A small blob (at most {@link SmallBlobs#INLINE_LIMIT}) uploaded whole in one chunk, as a
 * node's update or a small model is, skips the file: checked the same way, it is kept in its own
 * row of the state ({@link LinkState#insertBlob(String, long, byte[], long, byte[])}), written in
 * the one transaction that records it. It is as durable as the state's other rows (the task results
 * that reference it), and costs no file write, flush, rename or folder flush.
 *
 * <p>Thread-safe. Each upload is guarded by its own lock, held while a chunk is written and while
 * the upload is finished, restarted or dropped as idle; a chunk that finds its upload closed is
 * refused ("restart it") instead of writing into a closed or reused file. Idle time is read from
 * the injected clock.
 *
 * <p>Disk space: before each chunk is written the free space of the blob folder is read ({@link
 * DiskSpace#usableBytes}); a chunk that would leave less than the reserve is refused with {@link
 * ErrorCode#RESOURCE_EXHAUSTED} and its upload dropped, part file and all, so the database keeps
 * room for its own small writes (a failed task's result). A write that fails with "No space left on
 * device" anyway is handled the same way. The first refusal logs one line naming the folder and its
 * free space; the first upload accepted afterwards logs that space is back.
 */
public final class BlobStore {
  /** Largest blob accepted. */
  public static final long MAX_BLOB_BYTES = 2L * 1024 * 1024 * 1024 - 1;

  /** Free space an upload may not eat into, by default: room for the database's own writes. */
  public static final long DEFAULT_RESERVE_BYTES = 64L * 1024 * 1024;

  /** What a full SuperLink disk tells the peer to wait for. */
  private static final String FULL_FIX =
      "the SuperLink's admin frees space (`fedlink superlink gc` removes old stopped runs)";

  private static final Logger log = LoggerFactory.getLogger(BlobStore.class);

  private final boolean sync;
  private final Path dir;
  private final LinkState state;
  private final Clock clock;
  private final long reserveBytes;
  private final java.util.concurrent.atomic.AtomicBoolean full =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final long maxBlobBytes;
  private final int maxUploadsPerNode;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<String, BlobChunk> recentInline =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BlobChunk> eldest) {
          return size() > 8;
        }
      };

  /**
   * An upload in progress. Its fields are read and written only under its own lock; once {@code
   * closed}, it is out of {@link #uploads} (or about to be) and its channel is closed.
   */
  private static final class Upload {
    final long owner;
    FileChannel channel;
    MessageDigest digest;
    long touchedMs;
    boolean closed;

    Upload(long owner, long nowMs) {
      this.owner = owner;
      this.touchedMs = nowMs;
    }
  }

  /** A store whose idle uploads are timed by the system clock. */
  public BlobStore(Path dir, LinkState state) {
    this(dir, state, Clock.systemUTC());
  }

  /** A store whose idle uploads and blob records are timed by {@code clock}. */
  public BlobStore(Path dir, LinkState state, Clock clock) {
    this(dir, state, clock, DEFAULT_RESERVE_BYTES, MAX_BLOB_BYTES, Integer.MAX_VALUE);
  }

  /**
   * A store that refuses an upload chunk which would leave less than {@code reserveBytes} free on
   * its disk.
   *
   * @throws IllegalArgumentException if {@code reserveBytes} is negative
   */
  public BlobStore(Path dir, LinkState state, Clock clock, long reserveBytes) {
    this(dir, state, clock, reserveBytes, MAX_BLOB_BYTES, Integer.MAX_VALUE);
  }

  /**
   * A store that refuses, as RESOURCE_EXHAUSTED, a blob larger than {@code maxBlobBytes} ({@code
   * [superlink] max_blob_mb}) and a node's upload beyond {@code maxUploadsPerNode} in progress
   * ({@code max_uploads_per_node}; the researcher, owner 0, is not limited).
   */
  public BlobStore(
      Path dir, LinkState state, Clock clock, long maxBlobBytes, int maxUploadsPerNode) {
    this(dir, state, clock, DEFAULT_RESERVE_BYTES, maxBlobBytes, maxUploadsPerNode);
  }

  /**
   * A store with both a free-space reserve and the quotas of the other constructors.
   *
   * @throws IllegalArgumentException if {@code reserveBytes} is negative
   */
  public BlobStore(
      Path dir,
      LinkState state,
      Clock clock,
      long reserveBytes,
      long maxBlobBytes,
      int maxUploadsPerNode) {
    this(dir, state, clock, reserveBytes, maxBlobBytes, maxUploadsPerNode, true);
  }

  /**
   * A store as above that, with {@code sync} false, does not flush blobs and their folder to disk
   * before recording them: for state that is thrown away when the process ends (a simulation),
   * where a flush per blob would dominate a round. After a power loss such a store may hold a
   * recorded blob that is not whole.
   *
   * @throws IllegalArgumentException if {@code reserveBytes} is negative
   */
  public BlobStore(
      Path dir,
      LinkState state,
      Clock clock,
      long reserveBytes,
      long maxBlobBytes,
      int maxUploadsPerNode,
      boolean sync) {
    this.sync = sync;
    if (reserveBytes < 0) {
      throw new IllegalArgumentException("reserveBytes must be >= 0, got " + reserveBytes);
    }
    this.dir = dir;
    this.state = state;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.reserveBytes = reserveBytes;
    this.maxBlobBytes = Math.min(maxBlobBytes, MAX_BLOB_BYTES);
    this.maxUploadsPerNode = maxUploadsPerNode;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.CONFIGURATION, "cannot create " + dir + ": " + e, e);
    }
  }

  /**
   * Appends a chunk of an upload by {@code owner} (node id, 0 for the researcher). A chunk at
   * offset 0 starts the upload, replacing an unfinished one of the same owner.
   *
   * @return bytes held for this blob after the chunk
   */
  public long append(long owner, BlobChunk chunk) {
    String id = chunk.getBlobId();
    requireValidId(id);
    if (state.blobOwner(id).isPresent()) {
      throw new FedlinkException(ErrorCode.ALREADY_EXISTS, "blob " + id + " already exists");
    }
    if (chunk.getOffset() == 0
        && chunk.getLast()
        && SmallBlobs.fitsInline(chunk.getData().size())
        && !uploads.containsKey(id)) {
      return storeInRow(owner, chunk);
    }
    try {
      Upload up = chunk.getOffset() == 0 ? begin(id, owner) : uploads.get(id);
      if (up == null || up.owner != owner) {
        throw noUpload(id);
      }
      synchronized (up) {
        if (up.closed) {
          // Finished, restarted or dropped as idle by another thread since we looked it up.
          throw noUpload(id);
        }
        up.touchedMs = clock.millis();
        long size = up.channel.size();
        if (chunk.getOffset() != size) {
          throw new FedlinkException(
              ErrorCode.FAILED_PRECONDITION,
              "blob " + id + ": chunk at offset " + chunk.getOffset() + ", expected " + size);
        }
        if (size + chunk.getData().size() > maxBlobBytes) {
          abort(id, up);
          throw Quotas.exceeded(
              "blob " + id + " (more than " + maxBlobBytes + " bytes)",
              ConfigKeys.MAX_BLOB_MB,
              maxBlobBytes >> 20);
        }
        requireSpace(id, up, chunk.getData().size());
        try {
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
        } catch (IOException | RuntimeException e) {
          if (!DiskSpace.isDiskFull(e)) {
            throw e;
          }
          // The disk filled up under us (the blob's or the database's): nothing half written
          // stays behind, and the message gives the fuller of the two.
          abortQuietly(id, up);
          throw refuseFull(
              dir, Math.min(DiskSpace.usableBytes(dir), DiskSpace.usableBytes(state.file())));
        }
      }
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot store blob " + id, e);
    }
  }

  /**
   * Stores a small blob sent whole in one chunk in its row: checked like any upload (size, SHA-256,
   * quotas, free space), then recorded with its contents in one transaction.
   */
  private long storeInRow(long owner, BlobChunk chunk) {
    String id = chunk.getBlobId();
    int size = chunk.getData().size();
    if (size > maxBlobBytes) {
      throw Quotas.exceeded(
          "blob " + id + " (more than " + maxBlobBytes + " bytes)",
          ConfigKeys.MAX_BLOB_MB,
          maxBlobBytes >> 20);
    }
    requireUploadSlot(id, owner);
    byte[] data = chunk.getData().toByteArray();
    byte[] sha = BlobTransfer.sha256(data);
    if (size != chunk.getTotalSize()
        || !MessageDigest.isEqual(sha, chunk.getSha256().toByteArray())) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "blob " + id + ": size or checksum does not match; resend it");
    }
    // The row goes to the database's disk: that is the one to keep the reserve on.
    Path database = state.file().toAbsolutePath().getParent();
    long free = DiskSpace.usableBytes(database);
    if (free - size < reserveBytes) {
      throw refuseFull(database, free);
    }
    if (full.compareAndSet(true, false)) {
      log.info("disk space is back: {}; uploads accepted again", DiskSpace.describe(database));
    }
    if (!state.insertBlob(id, owner, sha, clock.millis(), data)) {
      throw new FedlinkException(ErrorCode.ALREADY_EXISTS, "blob " + id + " already exists");
    }
    synchronized (recentInline) {
      // Sent on the researcher's stream with its result a moment from now.
      recentInline.put(id, SmallBlobs.wholeChunk(id, data));
    }
    return size;
  }

  /**
   * Called holding {@code up}'s lock: refuses the chunk, dropping its upload, if writing it would
   * leave less than the reserve free.
   */
  private void requireSpace(String id, Upload up, int chunkBytes) {
    long free = DiskSpace.usableBytes(dir);
    if (free - chunkBytes < reserveBytes) {
      abortQuietly(id, up);
      throw refuseFull(dir, free);
    }
    if (full.compareAndSet(true, false)) {
      log.info("disk space is back: {}; uploads accepted again", DiskSpace.describe(dir));
    }
  }

  private FedlinkException refuseFull(Path where, long free) {
    if (full.compareAndSet(false, true)) {
      log.warn(
          "disk full: {} has {} free, below the reserve of {}; refusing uploads until space is"
              + " freed",
          where.toAbsolutePath(),
          DiskSpace.format(free),
          DiskSpace.format(reserveBytes));
    }
    return DiskSpace.full("SuperLink", free, reserveBytes, FULL_FIX);
  }

  private void abortQuietly(String id, Upload up) {
    try {
      abort(id, up);
    } catch (IOException ex) {
      // The part file stays; the retention sweep removes it once it is old.
      log.debug("cannot remove {}: {}", part(id), ex.toString());
    }
  }

  /**
   * Starts an upload: closes an unfinished one of the same owner under its lock, then installs a
   * fresh one and opens (truncating) the part file while holding the fresh one's lock, so no other
   * thread writes to that file meanwhile.
   */
  private Upload begin(String id, long owner) throws IOException {
    while (true) {
      Upload old = uploads.get(id);
      if (old != null) {
        synchronized (old) {
          if (!old.closed) {
            if (old.owner != owner) {
              throw new FedlinkException(
                  ErrorCode.REFUSED, "blob " + id + " belongs to another party");
            }
            old.closed = true;
            old.channel.close();
          }
          uploads.remove(id, old);
        }
      }
      requireUploadSlot(id, owner);
      Upload fresh = new Upload(owner, clock.millis());
      synchronized (fresh) {
        if (uploads.putIfAbsent(id, fresh) != null) {
          continue; // Another thread started this upload first: look again.
        }
        try {
          fresh.digest = MessageDigest.getInstance("SHA-256");
          fresh.channel =
              FileChannel.open(
                  part(id),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
          fresh.closed = true;
          uploads.remove(id, fresh);
          throw e instanceof IOException io ? io : new IOException(e);
        }
        return fresh;
      }
    }
  }

  /**
   * Refuses a node's new upload while it has {@code maxUploadsPerNode} others in progress. Checked
   * when an upload starts, so a burst of starts may pass it by a few; their chunks still go to
   * bounded files.
   */
  private void requireUploadSlot(String id, long owner) {
    if (owner == 0) {
      return;
    }
    long open =
        uploads.entrySet().stream()
            .filter(e -> e.getValue().owner == owner && !e.getKey().equals(id))
            .count();
    if (open >= maxUploadsPerNode) {
      throw Quotas.exceeded(
          "node " + owner + " starting a new upload with " + open + " in progress",
          ConfigKeys.MAX_UPLOADS_PER_NODE,
          maxUploadsPerNode);
    }
  }

  private static FedlinkException noUpload(String id) {
    return new FedlinkException(
        ErrorCode.FAILED_PRECONDITION, "no upload in progress for blob " + id + "; restart it");
  }

  /** Called holding {@code up}'s lock. */
  private void finish(String id, Upload up, BlobChunk last, long size) throws IOException {
    byte[] sha = up.digest.digest();
    if (size != last.getTotalSize()
        || !MessageDigest.isEqual(sha, last.getSha256().toByteArray())) {
      abort(id, up);
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "blob " + id + ": size or checksum does not match; resend it");
    }
    try {
      // The content reaches the disk before the rename, and the rename before the record: after
      // a power loss a recorded blob is whole.
      if (sync) {
        up.channel.force(true);
      }
      up.channel.close();
      Files.move(
          part(id), file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (sync) {
        syncDirectory();
      }
      try {
        state.insertBlob(id, up.owner, size, sha, clock.millis());
      } catch (RuntimeException e) {
        // Not recorded, so not stored: no file may stay behind without its record.
        Files.deleteIfExists(file(id));
        throw e;
      }
    } finally {
      up.closed = true;
      up.channel.close();
      uploads.remove(id, up);
    }
  }

  /** Flushes the folder's entries (the rename) to disk where the platform allows it. */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Windows cannot open a folder as a channel; there NTFS orders the rename itself.
      log.debug("cannot sync folder {}: {}", dir, e.toString());
    }
  }

  /**
   * Called holding {@code up}'s lock. The part file goes before the upload leaves the map: a new
   * upload of the same id waits for this lock, so it never has its fresh file deleted.
   */
  private void abort(String id, Upload up) throws IOException {
    up.closed = true;
    try {
      up.channel.close();
      Files.deleteIfExists(part(id));
    } finally {
      uploads.remove(id, up);
    }
  }

  /**
   * Drops uploads that received no chunk for {@code idle}: a peer that went away mid-upload must
   * not keep a file open forever. Its next chunk is then refused and it starts over.
   *
   * @return how many were dropped
   */
  public int dropIdleUploads(java.time.Duration idle) {
    long now = clock.millis();
    int dropped = 0;
    for (Map.Entry<String, Upload> e : uploads.entrySet()) {
      Upload up = e.getValue();
      synchronized (up) {
        if (!up.closed && now - up.touchedMs > idle.toMillis()) {
          try {
            abort(e.getKey(), up);
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
    try (BlobReader r = reader(blobId)) {
      while (!r.done()) {
        sink.accept(r.next());
      }
    }
  }

  /**
   * Opens a complete blob for reading chunk by chunk, at the pace of the reader.
   *
   * @throws FedlinkException NOT_FOUND if it does not exist
   */
  public BlobReader reader(String blobId) {
    requireValidId(blobId);
    Path f = file(blobId);
    if (!Files.isRegularFile(f)) {
      Optional<byte[]> inRow = state.blobData(blobId);
      if (inRow.isPresent()) {
        return new BlobReader(blobId, inRow.get());
      }
    }
    return new BlobReader(blobId, f);
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
      byte[] data;
      if (Files.isRegularFile(f)) {
        if (!SmallBlobs.fitsInline(Files.size(f))) {
          return Optional.empty();
        }
        data = Files.readAllBytes(f);
      } else {
        Optional<byte[]> inRow = state.blobData(blobId);
        if (inRow.isEmpty()) {
          return Optional.empty();
        }
        data = inRow.get();
      }
      BlobChunk c = SmallBlobs.wholeChunk(blobId, data);
      synchronized (recentInline) {
        recentInline.put(blobId, c);
      }
      return Optional.of(c);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes a blob's file (if it has one) and record.
   *
   * @return bytes the blob held, 0 if there was no such blob
   */
  public long delete(String blobId) {
    requireValidId(blobId);
    synchronized (recentInline) {
      recentInline.remove(blobId);
    }
    long size = 0;
    try {
      Path f = file(blobId);
      size = Files.exists(f) ? Files.size(f) : state.blob(blobId).map(BlobRecord::size).orElse(0L);
      Files.deleteIfExists(f);
    } catch (java.nio.file.NoSuchFileException e) {
      size = 0;
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot delete blob " + blobId, e);
    }
    state.deleteBlob(blobId);
    return size;
  }

  /** Files removed by {@link #removeStrayFiles}: how many and their bytes. */
  public record Removed(int files, long bytes) {}

  /**
   * Removes files of the blob folder that are not a recorded blob, not an upload in progress, and
   * were last written before {@code modifiedBeforeMs}: part files of uploads abandoned across a
   * restart, a file whose record a crash or a full disk prevented.
   */
  public Removed removeStrayFiles(long modifiedBeforeMs) {
    int files = 0;
    long bytes = 0;
    List<Path> candidates;
    try (Stream<Path> s = Files.list(dir)) {
      candidates = s.toList();
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot list " + dir + ": " + e, e);
    }
    for (Path f : candidates) {
      String name = f.getFileName().toString();
      String id = name.endsWith(".part") ? name.substring(0, name.length() - 5) : name;
      if (!BlobTransfer.isValidId(id) || uploads.containsKey(id)) {
        continue;
      }
      if (!name.endsWith(".part") && state.blobOwner(id).isPresent()) {
        continue;
      }
      try {
        if (!Files.isRegularFile(f)
            || Files.getLastModifiedTime(f).toMillis() >= modifiedBeforeMs) {
          continue;
        }
        long size = Files.size(f);
        if (Files.deleteIfExists(f)) {
          files++;
          bytes += size;
        }
      } catch (IOException e) {
        log.debug("cannot remove stray file {}: {}", f, e.toString());
      }
    }
    return new Removed(files, bytes);
  }

  /** The folder the blobs live in. */
  public Path dir() {
    return dir;
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
