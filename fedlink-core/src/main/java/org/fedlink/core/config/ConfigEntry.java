package org.fedlink.core.config;

import java.util.Objects;

/**
 * One row of {@link FedlinkConfig#describe()}, for {@code fedlink configuration show}: the key, its
 * effective value as text (masked if the key is secret, empty if unset) and where it came from.
 * Immutable.
 */
public record ConfigEntry(ConfigKey<?> key, String value, ValueSource source) {
  /** Text shown instead of a secret value. */
  public static final String MASK = "****";

  public ConfigEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  /** {@code section.key}, e.g. {@code mpc.port}. */
  public String name() {
    return key.qualifiedName();
  }

  @Override
  public String toString() {
    return name() + " = " + value + " (" + source + ")";
  }
}
