package org.fedlink.core.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Resolves the value of every key (environment over file over default) and checks the whole file
 * once, collecting every problem before failing. Stateless; used by {@link FedlinkConfig#load}.
 */
final class ConfigLoader {
  /** A resolved value: parsed, its text, and its origin. */
  record Setting(Object value, String text, ValueSource source) {}

  private ConfigLoader() {}

  static FedlinkConfig load(
      Path file, Component expected, Map<String, String> env, List<ConfigKey<?>> schema) {
    IniDocument doc = IniDocument.read(file);
    String source = file.getFileName().toString();
    List<String> problems = new ArrayList<>();
    Map<ConfigKey<?>, Setting> settings = new LinkedHashMap<>();
    Map<ConfigKey<?>, String> fileValues = new LinkedHashMap<>();
    List<ConfigKey<?>> invalid = new ArrayList<>();
    for (ConfigKey<?> key : schema) {
      Optional<String> fromFile = doc.get(key.section(), key.name()).filter(s -> !s.isBlank());
      fromFile.ifPresent(text -> fileValues.put(key, text));
      String fromEnv = env.get(key.envVar());
      ValueSource origin;
      String text;
      if (fromEnv != null && !fromEnv.isBlank()) {
        origin = ValueSource.ENV;
        text = fromEnv.strip();
      } else if (fromFile.isPresent()) {
        origin = ValueSource.FILE;
        text = fromFile.get();
      } else {
        key.defaultValue()
            .ifPresent(
                v ->
                    settings.put(key, new Setting(v, key.formatUnchecked(v), ValueSource.DEFAULT)));
        continue;
      }
      try {
        settings.put(key, new Setting(key.parse(text), text, origin));
      } catch (IllegalArgumentException e) {
        String problem = show(key, text, origin) + " " + e.getMessage();
        if (key == ConfigKeys.VERSION && e.getMessage().startsWith("is newer")) {
          // A newer layout may rename anything: other complaints would only mislead.
          throw fail(source, List.of(problem));
        }
        problems.add(problem);
        invalid.add(key);
      }
    }
    checkNames(doc, schema, problems);
    Component component = component(settings, expected, problems);
    if (component == null && !invalid.contains(ConfigKeys.COMPONENT)) {
      problems.add("[default] component is missing; set it to one of " + Component.allowedNames());
    }
    if (component != null) {
      for (ConfigKey<?> key : schema) {
        if (key.isRequiredBy(component) && !settings.containsKey(key) && !invalid.contains(key)) {
          problems.add(
              key.display()
                  + " is missing; a "
                  + component
                  + " needs it: "
                  + key.doc()
                  + " Set it in the file or in "
                  + key.envVar()
                  + ".");
        }
      }
    }
    if (Boolean.TRUE.equals(value(settings, ConfigKeys.FORCE_SECURE_AGGREGATION))
        && Boolean.FALSE.equals(value(settings, ConfigKeys.SECURE_AGGREGATION))) {
      problems.add(
          "[security] force_secure_aggregation = True contradicts secure_aggregation = False;"
              + " set secure_aggregation = True or force_secure_aggregation = False");
    }
    if (component != null && Boolean.TRUE.equals(value(settings, ConfigKeys.INSECURE))) {
      for (ConfigKey<?> key : schema) {
        Setting s = settings.get(key);
        // A key at its default value (written so by `configuration create`, or not set at all)
        // does not ask for authentication; only a value the user chose does.
        if (key.section().equals("auth")
            && key.isReadBy(component)
            && s != null
            && s.source() != ValueSource.DEFAULT
            && !java.util.Objects.equals(s.value(), key.defaultValue().orElse(null))) {
          problems.add(
              "[superlink] insecure = True contradicts "
                  + key.display()
                  + " (node authentication"
                  + " requires TLS); set insecure = False or remove the [auth] keys");
          break;
        }
      }
    }
    if (!problems.isEmpty()) {
      throw fail(source, problems);
    }
    return new FedlinkConfig(
        file, Workspace.containing(file).root(), component, settings, fileValues, schema);
  }

  private static void checkNames(
      IniDocument doc, List<ConfigKey<?>> schema, List<String> problems) {
    List<String> sections = schema.stream().map(ConfigKey::section).distinct().toList();
    for (String section : doc.sections()) {
      List<String> known =
          schema.stream().filter(k -> k.section().equals(section)).map(ConfigKey::name).toList();
      if (known.isEmpty()) {
        problems.add(
            "["
                + section
                + "] is not a known section; use "
                + String.join(", ", sections)
                + " (a file from an older Fedlink: run 'fedlink configuration refresh')");
        continue;
      }
      for (String key : doc.keys(section)) {
        if (!known.contains(key)) {
          problems.add(
              "["
                  + section
                  + "] "
                  + key
                  + " is not a known key; known keys in ["
                  + section
                  + "] are "
                  + String.join(", ", known));
        }
      }
    }
  }

  private static Component component(
      Map<ConfigKey<?>, Setting> settings, Component expected, List<String> problems) {
    Setting setting = settings.get(ConfigKeys.COMPONENT);
    if (setting == null) {
      return expected;
    }
    Component declared = Component.parse((String) setting.value());
    if (expected != null && declared != expected) {
      problems.add(
          "[default] component = "
              + declared
              + ", but a "
              + expected
              + " configuration is needed here; use the file created for the "
              + expected);
      return expected;
    }
    return declared;
  }

  private static Object value(Map<ConfigKey<?>, Setting> settings, ConfigKey<?> key) {
    Setting s = settings.get(key);
    return s == null ? null : s.value();
  }

  static String show(ConfigKey<?> key, String text, ValueSource origin) {
    return key.display()
        + " = "
        + (key.secret() ? ConfigEntry.MASK : text)
        + (origin == ValueSource.ENV ? " (from " + key.envVar() + ")" : "");
  }

  private static FedlinkException fail(String source, List<String> problems) {
    return new FedlinkException(
        ErrorCode.CONFIGURATION,
        problems.stream().map(p -> source + ": " + p).collect(Collectors.joining("\n")));
  }
}
