package org.fedlink.superlink;

import java.time.Clock;
import java.time.Duration;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.superlink.state.BlobStore;
import org.fedlink.superlink.state.RetentionSweep;
import org.fedlink.superlink.state.SqliteLinkState;
import org.fedlink.superlink.state.SweepReport;

/**
 * {@code fedlink superlink gc}: the retention sweep of a stopped SuperLink, run now, followed by a
 * {@code VACUUM} that gives the database's free pages back to the file system. It takes the
 * database's process lock, so it refuses to run beside a SuperLink (which sweeps by itself).
 * Stateless.
 */
public final class GarbageCollection {
  private GarbageCollection() {}

  /**
   * What one collection removed and the database size around it.
   *
   * @param removed runs, rows, blobs and bytes removed
   * @param databaseBytesBefore database plus write-ahead log before, in bytes
   * @param databaseBytesAfter the same after the vacuum
   */
  public record Result(SweepReport removed, long databaseBytesBefore, long databaseBytesAfter) {}

  /**
   * Removes the runs stopped more than {@code olderThan} ago (zero: every stopped run) and what
   * they leave behind, then vacuums the database.
   *
   * @throws org.fedlink.core.FedlinkException FAILED_PRECONDITION if a SuperLink runs on this
   *     database (naming its PID), CONFIGURATION if the database cannot be opened
   */
  public static Result run(StateFiles files, Duration olderThan, Clock clock) {
    try (ProcessLock lock = ProcessLock.acquire(files.database(), "SuperLink state database");
        SqliteLinkState state = SqliteLinkState.open(files.database(), clock)) {
      long before = files.databaseBytes();
      BlobStore blobs = new BlobStore(files.blobs(), state, clock);
      SweepReport removed = new RetentionSweep(state, blobs, clock).sweep(olderThan);
      state.reclaimSpace();
      return new Result(removed, before, files.databaseBytes());
    }
  }
}
