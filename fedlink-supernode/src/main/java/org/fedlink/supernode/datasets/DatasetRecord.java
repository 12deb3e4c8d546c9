package org.fedlink.supernode.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset registered on a node: only registered datasets are ever read by a task.
 *
 * @param name unique on the node
 * @param tags labels a researcher selects datasets by (all requested tags must match)
 * @param path absolute path of the file
 * @param format file format, {@code csv}
 * @param rows number of samples when registered
 * @param cols number of features when registered
 * @param addedMs registration time
 */
public record DatasetRecord(
    String name, List<String> tags, Path path, String format, int rows, int cols, long addedMs) {
  public DatasetRecord {
    tags = List.copyOf(tags);
  }

  /** True if the dataset carries every one of {@code wanted}. */
  public boolean hasTags(List<String> wanted) {
    return tags.containsAll(wanted);
  }
}
