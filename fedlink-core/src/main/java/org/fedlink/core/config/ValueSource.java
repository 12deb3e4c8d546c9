package org.fedlink.core.config;

/** Where a configuration value came from, in decreasing precedence. */
public enum ValueSource {
  /** A {@code FEDLINK_<SECTION>_<KEY>} environment variable (this process only). */
  ENV,
  /** The INI file. */
  FILE,
  /** The key's documented default. */
  DEFAULT,
  /** Nowhere: the key has no value (allowed for optional keys only). */
  UNSET
}
