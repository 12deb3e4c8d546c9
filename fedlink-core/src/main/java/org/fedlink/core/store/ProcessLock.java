package org.fedlink.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * One process per database: an exclusive OS lock ({@link FileChannel#tryLock}) on {@code
 * <database>.lock}, a file beside the database that holds the PID of the process owning it. The
 * operating system releases the lock when the process ends, however it ends, so a file left behind
 * by a killed process never blocks the next start; the PID in it is only for the message.
 *
 * <p>The file is never deleted: a process that deleted it while another had it open would let two
 * processes lock two different files. Thread-safe; {@link #close()} releases the lock.
 */
public final class ProcessLock implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private ProcessLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of {@code database}: {@code <database>.lock} in the same folder. */
  public static Path fileFor(Path database) {
    return database.resolveSibling(database.getFileName() + ".lock");
  }

  /**
   * Takes the lock of {@code database} for this process.
   *
   * @param what what the database belongs to, for the message ("node database")
   * @throws FedlinkException FAILED_PRECONDITION naming the database and the PID that holds it, or
   *     CONFIGURATION if the lock file cannot be created
   */
  public static ProcessLock acquire(Path database, String what) {
    Path file = fileFor(database);
    return acquireFile(
        file,
        "",
        holder ->
            new FedlinkException(
                ErrorCode.FAILED_PRECONDITION,
                "the "
                    + what
                    + " "
                    + database
                    + " is in use by process "
                    + holder.pid()
                    + (holder.isThisProcess() ? " (this process)" : "")
                    + " (lock file "
                    + file
                    + "): stop that process first, or give this one its own database"));
  }

  /** Who holds a lock: the PID and the note it wrote, as read from the lock file. */
  public record Holder(String pid, String note) {
    /** True if the holder is the calling process (through another lock object). */
    public boolean isThisProcess() {
      return pid.equals(Long.toString(ProcessHandle.current().pid()));
    }
  }

  /**
   * Takes the lock of {@code file} for this process, writing {@code "<pid> <note>"} into it.
   *
   * @param refusal the exception to throw when another holds the lock, given who holds it
   * @throws FedlinkException from {@code refusal}, or CONFIGURATION if the file cannot be created
   */
  public static ProcessLock acquireFile(
      Path file, String note, java.util.function.Function<Holder, FedlinkException> refusal) {
    FileChannel channel = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // Held by this very process, through another channel.
      }
      if (lock == null) {
        Holder holder = readHolder(channel);
        channel.close();
        throw refusal.apply(holder);
      }
      String content = ProcessHandle.current().pid() + (note.isEmpty() ? "" : " " + note) + "\n";
      byte[] pid = content.getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
      channel.force(false);
      return new ProcessLock(file, channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Reported below.
        }
      }
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  private static Holder readHolder(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1024);
    channel.read(buf, 0);
    String line = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    String[] parts = line.split(" ", 2);
    String pid = parts[0].matches("[0-9]{1,19}") ? parts[0] : "(unknown PID)";
    return new Holder(pid, parts.length > 1 ? parts[1] : "");
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock; the file stays. Idempotent. */
  @Override
  public synchronized void close() {
    if (!channel.isOpen()) {
      return;
    }
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel releases the lock anyway.
    } finally {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing left to release.
      }
    }
  }
}
