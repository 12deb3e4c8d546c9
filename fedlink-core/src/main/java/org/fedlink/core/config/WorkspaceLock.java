package org.fedlink.core.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive lock on a workspace, against other threads (a JVM-wide lock per root) and other
 * processes (an OS lock on {@code <root>/.fedlink.lock}; the JVM refuses overlapping OS locks from
 * two threads, hence both).
 */
final class WorkspaceLock implements AutoCloseable {
  static final String FILE_NAME = ".fedlink.lock";
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private WorkspaceLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /** Blocks until the workspace at {@code root} (which must exist) is locked. */
  static WorkspaceLock acquire(Path root) throws IOException {
    Path file = root.toAbsolutePath().normalize().resolve(FILE_NAME);
    ReentrantLock local = LOCAL.computeIfAbsent(file, f -> new ReentrantLock());
    local.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new WorkspaceLock(local, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      local.unlock();
    }
  }
}
