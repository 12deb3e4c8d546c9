package org.fedlink.superlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a SuperLink keeps its state: the SQLite database and the blob folder beside it. With a home
 * folder, {@code <home>/superlink.sqlite} and {@code <home>/blobs}; with an explicit database (a
 * configuration's {@code [default] db}), that file and {@code <file>-blobs}.
 *
 * @param database the state database file
 * @param blobs the blob folder
 */
public record StateFiles(Path database, Path blobs) {
  public StateFiles {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(blobs, "blobs");
  }

  /** The files of a SuperLink started with {@code --home home}, or with {@code database} if set. */
  public static StateFiles of(Path home, Path database) {
    if (database != null) {
      return new StateFiles(database, database.resolveSibling(database.getFileName() + "-blobs"));
    }
    return new StateFiles(home.resolve("superlink.sqlite"), home.resolve("blobs"));
  }

  /** Bytes of the database with its write-ahead log (0 for files that do not exist). */
  public long databaseBytes() {
    return size(database) + size(database.resolveSibling(database.getFileName() + "-wal"));
  }

  /** Bytes of the files in the blob folder (0 if it does not exist). */
  public long blobBytes() {
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    try (var s = Files.list(blobs)) {
      return s.mapToLong(StateFiles::size).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long size(Path f) {
    try {
      return Files.isRegularFile(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
