package org.fedlink.ml;

import java.util.List;

/**
 * Cuts one data set into disjoint parts, one per simulated node, that together hold every row
 * exactly once. Implementations are deterministic for a given seed, immutable and thread-safe.
 */
public interface Partitioner {

  /**
   * Splits {@code data} into {@code parts} disjoint data sets covering all its rows.
   *
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT if {@code parts} is below 1 or the
   *     rows cannot be shared out as the partitioner promises
   */
  List<Dataset> split(Dataset data, int parts);
}
