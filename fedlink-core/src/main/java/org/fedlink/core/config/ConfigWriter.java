package org.fedlink.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes configuration files in the current layout: a header, then each section in {@link
 * ConfigKeys#SECTIONS} order with every key the component reads, each preceded by its
 * documentation. Keys without a value and without a default are written commented out ({@code # key
 * =}) so that users see what they can set. Stateless and thread-safe.
 */
public final class ConfigWriter {
  private static final int WIDTH = 100;

  private ConfigWriter() {}

  /**
   * The file text for {@code component}.
   *
   * @param values text values by key; keys the component does not read are written too if present
   */
  public static String render(Component component, Map<ConfigKey<?>, String> values) {
    Objects.requireNonNull(component, "component");
    StringBuilder out = new StringBuilder();
    comment(
        out,
        "Fedlink "
            + component
            + " configuration, layout version "
            + ConfigKeys.CURRENT_VERSION
            + ".");
    comment(
        out,
        "Relative paths are relative to the workspace root (the folder holding etc/ and var/).");
    comment(
        out,
        "Any key can be overridden for one process by the environment variable"
            + " FEDLINK_<SECTION>_<KEY>, e.g. FEDLINK_MPC_PORT=14005; this file is not rewritten.");
    for (String section : ConfigKeys.SECTIONS) {
      List<ConfigKey<?>> keys =
          ConfigKeys.inSection(section).stream()
              .filter(k -> k.isReadBy(component) || values.containsKey(k))
              .toList();
      if (keys.isEmpty()) {
        continue;
      }
      out.append('\n').append('[').append(section).append("]\n");
      for (ConfigKey<?> key : keys) {
        String doc =
            key.doc()
                + " ("
                + key.type().description()
                + key.defaultValue().map(v -> ", default " + key.formatUnchecked(v)).orElse("")
                + ")";
        comment(out, doc);
        String value = values.get(key);
        if (value == null) {
          value = key.defaultValue().map(key::formatUnchecked).orElse(null);
        }
        if (value == null) {
          out.append("# ").append(key.name()).append(" =\n");
        } else {
          out.append(key.name()).append(" = ").append(value).append('\n');
        }
      }
    }
    return out.toString();
  }

  /**
   * Writes {@link #render} to {@code file} atomically.
   *
   * @throws FedlinkException {@link org.fedlink.core.ErrorCode#CONFIGURATION} if it cannot be
   *     written
   */
  public static void write(Path file, Component component, Map<ConfigKey<?>, String> values) {
    IniDocument.writeAtomically(file, render(component, values));
  }

  private static void comment(StringBuilder out, String text) {
    StringBuilder line = new StringBuilder("#");
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > WIDTH && line.length() > 1) {
        out.append(line).append('\n');
        line = new StringBuilder("#");
      }
      line.append(' ').append(word);
    }
    out.append(line).append('\n');
  }
}
