package org.fedlink.superlink.state;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what finished runs leave behind: a run stopped longer ago than the retention period goes
 * with its tasks, results, relayed envelopes and the blobs no remaining run references. Open runs
 * are never touched, whatever their age. Also removes, once older than the retention period and at
 * least {@link #MIN_ORPHAN_AGE}, blobs no task or result references (an upload whose tasks were
 * never pushed, a run removed by a sweep that was interrupted) and files of the blob folder without
 * a record.
 *
 * <p>Order: a run's rows go in one transaction first, then its blobs; a sweep interrupted in
 * between leaves unreferenced blobs, which a later sweep removes. Time is read from the injected
 * clock. Thread-safe: sweeps run one at a time.
 */
public final class RetentionSweep {
  /**
   * Youngest age at which an unreferenced blob counts as abandoned: a researcher uploads a model a
   * moment before pushing the tasks that reference it, so a young unreferenced blob is in use.
   */
  public static final Duration MIN_ORPHAN_AGE = Duration.ofDays(1);

  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

  private final LinkState state;
  private final BlobStore blobs;
  private final Clock clock;

  public RetentionSweep(LinkState state, BlobStore blobs, Clock clock) {
    this.state = Objects.requireNonNull(state, "state");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Removes runs stopped more than {@code olderThan} ago (zero: every stopped run) and what they
   * leave behind.
   *
   * @throws IllegalArgumentException if {@code olderThan} is negative
   */
  public synchronized SweepReport sweep(Duration olderThan) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan must be >= 0, got " + olderThan);
    }
    long now = clock.millis();
    long cutoff = now - olderThan.toMillis();
    int runs = 0;
    long rows = 0;
    int blobCount = 0;
    long bytes = 0;
    for (String runId : state.runsStoppedBefore(cutoff)) {
      List<String> blobIds = state.blobsOfRun(runId);
      int deleted = state.deleteStoppedRun(runId);
      if (deleted == 0) {
        continue;
      }
      runs++;
      rows += deleted;
      for (String blobId : blobIds) {
        // Another run's tasks may take the same blob as model: it stays while they do.
        if (state.runsReferencing(blobId).isEmpty() && state.blob(blobId).isPresent()) {
          bytes += blobs.delete(blobId);
          blobCount++;
        }
      }
      log.info("retention: removed run {} ({} rows, stopped before the cutoff)", runId, deleted);
    }
    long orphanCutoff = now - Math.max(olderThan.toMillis(), MIN_ORPHAN_AGE.toMillis());
    for (BlobRecord b : state.unreferencedBlobs(orphanCutoff)) {
      bytes += blobs.delete(b.blobId());
      blobCount++;
    }
    BlobStore.Removed stray = blobs.removeStrayFiles(orphanCutoff);
    blobCount += stray.files();
    bytes += stray.bytes();
    return new SweepReport(runs, rows, blobCount, bytes);
  }
}
