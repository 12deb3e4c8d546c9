package org.fedlink.supernode.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Private folders of plan workers. Stateless. */
final class Workspace {
  private Workspace() {}

  /** A new empty folder under {@code parent}, readable by the node's user only. */
  static Path create(Path parent, String prefix) {
    try {
      Files.createDirectories(parent);
      try {
        return Files.createTempDirectory(
            parent,
            prefix,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException notPosix) {
        return Files.createTempDirectory(parent, prefix);
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot create a plan worker folder in " + parent + ": " + e, e);
    }
  }

  /** Deletes {@code dir} and what it holds; what cannot be deleted stays. */
  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // left for the next clean-up
                }
              });
    } catch (IOException ignored) {
      // left for the next clean-up
    }
  }
}
