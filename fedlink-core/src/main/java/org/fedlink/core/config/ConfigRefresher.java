package org.fedlink.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Implements {@link FedlinkConfig#refresh}. Stateless. */
final class ConfigRefresher {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private ConfigRefresher() {}

  static RefreshResult refresh(Path file, Clock clock) {
    IniDocument doc = IniDocument.read(file);
    String source = file.getFileName().toString();
    int fromVersion = 0;
    Optional<String> version = doc.get("default", "version").filter(s -> !s.isBlank());
    if (version.isPresent()) {
      try {
        fromVersion = Integer.parseInt(version.get());
      } catch (NumberFormatException e) {
        throw problem(
            source,
            "[default] version = "
                + version.get()
                + " is not an integer; fix it to 1 before refreshing");
      }
      if (fromVersion > ConfigKeys.CURRENT_VERSION) {
        throw problem(
            source,
            "[default] version = "
                + fromVersion
                + " is newer than this Fedlink understands (version "
                + ConfigKeys.CURRENT_VERSION
                + "); it cannot be refreshed, use a newer Fedlink");
      }
    }
    Component component;
    try {
      component = Component.parse(doc.get("default", "component").orElse(null));
    } catch (FedlinkException e) {
      throw problem(
          source,
          "[default] component = "
              + doc.get("default", "component").orElse("")
              + " cannot be refreshed: set it to one of "
              + Component.allowedNames());
    }
    Map<ConfigKey<?>, String> kept = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (String section : doc.sections()) {
      for (String key : doc.keys(section)) {
        String value = doc.get(section, key).orElse("");
        Optional<ConfigKey<?>> known = ConfigKeys.find(section, key);
        if (known.isEmpty()) {
          dropped.add(section + "." + key);
        } else if (!value.isBlank()) {
          kept.put(known.get(), value);
        }
      }
    }
    kept.put(ConfigKeys.VERSION, Integer.toString(ConfigKeys.CURRENT_VERSION));
    Path backup = backup(file, clock);
    ConfigWriter.write(file, component, kept);
    return new RefreshResult(file, backup, fromVersion, ConfigKeys.CURRENT_VERSION, dropped);
  }

  private static Path backup(Path file, Clock clock) {
    String base = file.getFileName() + ".bak-" + LocalDateTime.now(clock).format(STAMP);
    Path backup = file.resolveSibling(base);
    for (int i = 1; Files.exists(backup); i++) {
      backup = file.resolveSibling(base + "-" + i);
    }
    try {
      return Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot back up " + file + " to " + backup + ": " + e + "; nothing was changed",
          e);
    }
  }

  private static FedlinkException problem(String source, String message) {
    return new FedlinkException(ErrorCode.CONFIGURATION, source + ": " + message);
  }
}
