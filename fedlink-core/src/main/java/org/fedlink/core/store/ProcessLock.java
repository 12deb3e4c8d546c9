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
        String holder = readPid(channel);
        channel.close();
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "the "
                + what
                + " "
                + database
                + " is in use by process "
                + holder
                + (holder.equals(Long.toString(ProcessHandle.current().pid()))
                    ? " (this process)"
                    : "")
                + " (lock file "
                + file
                + "): stop that process first, or give this one its own database");
      }
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
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

  private static String readPid(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    channel.read(buf, 0);
    String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    return pid.matches("[0-9]{1,19}") ? pid : "(unknown PID)";
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
