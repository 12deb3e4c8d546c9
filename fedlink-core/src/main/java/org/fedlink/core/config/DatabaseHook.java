package org.fedlink.core.config;

import java.nio.file.Path;

/**
 * Creates a new component's database while {@link ComponentCreator} holds the workspace lock. The
 * server modules pass one that runs their migrations. Implementations must be safe to call from any
 * thread.
 */
@FunctionalInterface
public interface DatabaseHook {
  /** Creates nothing (the database appears on first start). */
  DatabaseHook NONE = (database, component, componentId) -> {};

  /**
   * Creates the database file {@code database} (its folder exists).
   *
   * @throws Exception any failure; the creator reports it and writes no configuration file
   */
  void create(Path database, Component component, String componentId) throws Exception;
}
