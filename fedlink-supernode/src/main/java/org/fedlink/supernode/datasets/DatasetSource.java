package org.fedlink.supernode.datasets;

import java.util.List;
import org.fedlink.ml.Dataset;

/**
 * Where a task reads the node's data: the one dataset carrying all requested tags. A real site's
 * source is its {@link DatasetRegistry}; a simulated node's is its partition, held in memory.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface DatasetSource {
  /**
   * The one dataset carrying all {@code tags}.
   *
   * @throws org.fedlink.core.FedlinkException NO_MATCHING_DATASET if none matches
   */
  Dataset select(List<String> tags);
}
