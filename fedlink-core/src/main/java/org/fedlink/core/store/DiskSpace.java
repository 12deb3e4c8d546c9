package org.fedlink.core.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Free disk space, and recognising a full disk in an exception. The check is one {@code statvfs}
 * call ({@link java.nio.file.FileStore#getUsableSpace}), cheap enough before every upload chunk.
 * Stateless and thread-safe.
 */
public final class DiskSpace {
  private DiskSpace() {}

  /**
   * Bytes this process may still write on the file system holding {@code path} (or its nearest
   * existing parent); {@link Long#MAX_VALUE} if the platform cannot tell, so an unknown answer
   * never refuses work.
   */
  public static long usableBytes(Path path) {
    Path p = path.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return Long.MAX_VALUE;
    }
    try {
      long usable = Files.getFileStore(p).getUsableSpace();
      return usable < 0 ? Long.MAX_VALUE : usable;
    } catch (IOException | SecurityException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * True if {@code t} or one of its causes says the disk is full: {@code ENOSPC} ("No space left on
   * device"), quota exceeded, Windows' "not enough space on the disk", or SQLite's {@code
   * SQLITE_FULL}.
   */
  public static boolean isDiskFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
      if ((c instanceof IOException || c instanceof SQLException || c instanceof FedlinkException)
          && (m.contains("no space left on device")
              || m.contains("disk quota exceeded")
              || m.contains("not enough space on the disk")
              || m.contains("sqlite_full")
              || m.contains("database or disk is full"))) {
        return true;
      }
    }
    return false;
  }

  /** The file a file-system exception among the causes of {@code t} names, if any. */
  public static Optional<Path> pathOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof FileSystemException f && f.getFile() != null) {
        return Optional.of(Path.of(f.getFile()));
      }
    }
    return Optional.empty();
  }

  /** "{@code /path} has 1.2 MiB (1234567 bytes) free", for a log line or a message. */
  public static String describe(Path path) {
    long free = usableBytes(path);
    return path.toAbsolutePath()
        + " has "
        + (free == Long.MAX_VALUE ? "an unknown amount of space" : format(free) + " free");
  }

  /** A byte count for people: "1.2 MiB (1234567 bytes)". */
  public static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
  }

  /**
   * The error for a refused write: {@link ErrorCode#RESOURCE_EXHAUSTED}, naming whose disk, the
   * free space and the fix, but no local path (the message reaches peers).
   *
   * @param whose "SuperLink" or "node 42"
   * @param fix what frees space, e.g. "its admin frees space (fedlink superlink gc)"
   */
  public static FedlinkException full(String whose, long freeBytes, long reserveBytes, String fix) {
    return new FedlinkException(
        ErrorCode.RESOURCE_EXHAUSTED,
        whose
            + " disk full: "
            + (freeBytes == Long.MAX_VALUE ? "no space left" : format(freeBytes) + " free")
            + ", "
            + format(reserveBytes)
            + " kept in reserve; refused until "
            + fix);
  }
}
