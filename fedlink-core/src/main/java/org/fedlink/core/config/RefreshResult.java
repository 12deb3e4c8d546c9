package org.fedlink.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FedlinkConfig#refresh} did, for printing. Immutable.
 *
 * @param file the rewritten file
 * @param backup the copy of the original, {@code <file>.bak-YYYYMMDDHHMMSS}
 * @param fromVersion the original layout version (0 if the file had none)
 * @param toVersion the layout version written ({@link ConfigKeys#CURRENT_VERSION})
 * @param dropped {@code section.key} of the original entries that no longer exist
 */
public record RefreshResult(
    Path file, Path backup, int fromVersion, int toVersion, List<String> dropped) {
  public RefreshResult {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(backup, "backup");
    dropped = List.copyOf(dropped);
  }
}
