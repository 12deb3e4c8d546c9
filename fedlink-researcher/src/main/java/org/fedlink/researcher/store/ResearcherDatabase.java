package org.fedlink.researcher.store;

import java.nio.file.Path;
import org.fedlink.core.store.SqliteDatabase;

/**
 * The researcher's SQLite database (the file named by {@code [default] db} of its configuration),
 * migrated from {@code db/researcher}. It holds the registered parties ({@link
 * org.fedlink.core.store.PartyRegistry}).
 */
public final class ResearcherDatabase {
  private static final String MIGRATIONS = "classpath:db/researcher";

  private ResearcherDatabase() {}

  /**
   * Opens or creates the researcher database {@code file}, applying pending migrations.
   *
   * @throws org.fedlink.core.FedlinkException if it cannot be opened or was written by a newer
   *     Fedlink
   */
  public static SqliteDatabase open(Path file) {
    return SqliteDatabase.open(file, MIGRATIONS);
  }
}
