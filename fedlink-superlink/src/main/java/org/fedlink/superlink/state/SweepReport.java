package org.fedlink.superlink.state;

/**
 * What a {@link RetentionSweep} removed.
 *
 * @param runs stopped runs removed
 * @param rows database rows removed with them (runs, tasks, results, envelopes)
 * @param blobs blob files removed (of those runs, unreferenced, or stray)
 * @param bytes bytes those blob files held
 */
public record SweepReport(int runs, long rows, int blobs, long bytes) {
  /** True if the sweep removed nothing. */
  public boolean isEmpty() {
    return runs == 0 && rows == 0 && blobs == 0 && bytes == 0;
  }

  @Override
  public String toString() {
    return runs + " run(s), " + rows + " row(s), " + blobs + " blob(s), " + bytes + " bytes";
  }
}
