package org.fedlink.console;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.FedlinkException;
import org.fedlink.supernode.datasets.DatasetRecord;
import org.fedlink.supernode.datasets.DatasetRegistry;

/**
 * A line of the datasets page: the registration, and its classes read from the file (or why the
 * file cannot be read now).
 *
 * @param classes distinct labels, -1 if the file cannot be read
 * @param problem why the file cannot be read, or null
 */
public record DatasetRow(DatasetRecord record, int classes, String problem) {
  static List<DatasetRow> all(DatasetRegistry registry) {
    List<DatasetRow> rows = new ArrayList<>();
    for (DatasetRecord r : registry.list()) {
      try {
        rows.add(new DatasetRow(r, registry.preview(r.name(), 0).classes(), null));
      } catch (FedlinkException e) {
        rows.add(new DatasetRow(r, -1, e.getMessage()));
      }
    }
    return rows;
  }
}
