package org.fedlink.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The deployable roles a configuration file belongs to, with the names Fed-BioMed users type
 * ({@code supernode}, {@code researcher}, {@code superlink}) and the prefixes of their ids.
 */
public enum Component {
  SUPERNODE("supernode", "NODE"),
  RESEARCHER("researcher", "RESEARCHER"),
  SUPERLINK("superlink", "SUPERLINK");

  private final String configName;
  private final String idPrefix;

  Component(String configName, String idPrefix) {
    this.configName = configName;
    this.idPrefix = idPrefix;
  }

  /** The name written in {@code [default] component} and typed on the command line. */
  public String configName() {
    return configName;
  }

  /** The upper-case prefix of this component's ids, e.g. {@code NODE}. */
  public String idPrefix() {
    return idPrefix;
  }

  /** A fresh id, Fed-BioMed style: the prefix, an underscore and a random UUID. */
  public String newId() {
    return idPrefix + "_" + UUID.randomUUID();
  }

  /** Comma-separated configuration names, for messages. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(Component::configName).collect(Collectors.joining(", "));
  }

  /**
   * The component named {@code name}, ignoring case.
   *
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} naming the value and the allowed
   *     names
   */
  public static Component parse(String name) {
    if (name != null) {
      for (Component c : values()) {
        if (c.configName.equals(name.strip().toLowerCase(Locale.ROOT))) {
          return c;
        }
      }
    }
    throw new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "component " + name + " is not allowed; use one of " + allowedNames());
  }

  @Override
  public String toString() {
    return configName;
  }
}
