package org.fedlink.core.config;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * A component's configuration, loaded from an INI file and checked once, at load: afterwards every
 * getter returns a valid value. A value comes from, in order of precedence, the environment
 * variable {@code FEDLINK_<SECTION>_<KEY>} (e.g. {@code FEDLINK_MPC_PORT}; blank variables are
 * ignored; the file is never rewritten), the file (a blank value counts as absent), or the key's
 * default. Relative paths are relative to the workspace root ({@link Workspace#containing}).
 *
 * <p>Immutable and thread-safe.
 */
public final class FedlinkConfig {
  private final Path file;
  private final Path root;
  private final Component component;
  private final Map<ConfigKey<?>, ConfigLoader.Setting> settings;
  private final Map<ConfigKey<?>, String> fileValues;
  private final List<ConfigKey<?>> schema;

  FedlinkConfig(
      Path file,
      Path root,
      Component component,
      Map<ConfigKey<?>, ConfigLoader.Setting> settings,
      Map<ConfigKey<?>, String> fileValues,
      List<ConfigKey<?>> schema) {
    this.file = file;
    this.root = root;
    this.component = component;
    this.settings = Map.copyOf(settings);
    this.fileValues = new LinkedHashMap<>(fileValues);
    this.schema = List.copyOf(schema);
  }

  /** Loads {@code file} for whichever component it declares, with the process environment. */
  public static FedlinkConfig load(Path file) {
    return load(file, null, System.getenv());
  }

  /** Loads {@code file} for {@code expected}, with the process environment. */
  public static FedlinkConfig load(Path file, Component expected) {
    return load(file, expected, System.getenv());
  }

  /**
   * Loads and validates {@code file}.
   *
   * @param expected the component that will use the file, or null to accept what it declares
   * @param env environment variables (tests pass a map; production passes {@link System#getenv()})
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} listing every problem, one per line,
   *     each naming the file, {@code [section] key}, the value and what is allowed: unreadable or
   *     malformed file, unknown section or key, wrong type, value out of range, unknown hashing
   *     algorithm, unknown or unexpected component, missing required key, version newer than {@link
   *     ConfigKeys#CURRENT_VERSION}, contradictory keys
   */
  public static FedlinkConfig load(Path file, Component expected, Map<String, String> env) {
    return ConfigLoader.load(
        Objects.requireNonNull(file, "file"),
        expected,
        Objects.requireNonNull(env, "env"),
        ConfigKeys.ALL);
  }

  /** Loads against another schema (tests of masking use a schema with a secret key). */
  static FedlinkConfig load(
      Path file, Component expected, Map<String, String> env, List<ConfigKey<?>> schema) {
    return ConfigLoader.load(file, expected, env, schema);
  }

  /**
   * Backs {@code file} up as {@code <file>.bak-YYYYMMDDHHMMSS} and rewrites it in the current
   * layout, keeping the values of keys that still exist.
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if the file is unreadable, malformed,
   *     declares no valid component, or has a version newer than this Fedlink's
   */
  public static RefreshResult refresh(Path file) {
    return ConfigRefresher.refresh(file, Clock.systemDefaultZone());
  }

  /** The file this configuration was loaded from. */
  public Path file() {
    return file;
  }

  /** The workspace root that relative paths are resolved against. */
  public Path root() {
    return root;
  }

  public Workspace workspace() {
    return new Workspace(root);
  }

  public Component component() {
    return component;
  }

  /** {@code [default] id}. */
  public String id() {
    return get(ConfigKeys.ID);
  }

  /** {@code [default] version}. */
  public int version() {
    return get(ConfigKeys.VERSION);
  }

  /**
   * The effective value of {@code key}.
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if the key has no value (an optional
   *     key without default that nobody set); the message says how to set it
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key)
        .orElseThrow(
            () ->
                new FedlinkException(
                    ErrorCode.CONFIGURATION,
                    file.getFileName()
                        + ": "
                        + key.display()
                        + " is not set; "
                        + key.doc()
                        + " Set it in the file or in "
                        + key.envVar()
                        + "."));
  }

  /** The effective value of {@code key}, or empty if it has none. */
  public <T> Optional<T> find(ConfigKey<T> key) {
    ConfigLoader.Setting setting = settings.get(key);
    @SuppressWarnings("unchecked")
    T value = setting == null ? null : (T) setting.value();
    return Optional.ofNullable(value);
  }

  /** A path value resolved against the workspace root. @throws FedlinkException as {@link #get} */
  public Path path(ConfigKey<Path> key) {
    return root.resolve(get(key));
  }

  /** A path value resolved against the workspace root, or empty if unset. */
  public Optional<Path> findPath(ConfigKey<Path> key) {
    return find(key).map(root::resolve);
  }

  /** Where the value of {@code key} came from. */
  public ValueSource source(ConfigKey<?> key) {
    ConfigLoader.Setting setting = settings.get(key);
    return setting == null ? ValueSource.UNSET : setting.source();
  }

  /**
   * Every key this component reads, plus any other key set in the file or environment, in file
   * order, with secret values masked: the rows of {@code fedlink configuration show}.
   */
  public List<ConfigEntry> describe() {
    List<ConfigEntry> rows = new ArrayList<>();
    for (ConfigKey<?> key : schema) {
      ConfigLoader.Setting setting = settings.get(key);
      boolean read = key.isReadBy(component);
      if (setting == null || (!read && setting.source() == ValueSource.DEFAULT)) {
        if (read) {
          rows.add(new ConfigEntry(key, "", ValueSource.UNSET));
        }
        continue;
      }
      String shown = key.secret() ? ConfigEntry.MASK : setting.text();
      rows.add(new ConfigEntry(key, shown, setting.source()));
    }
    return List.copyOf(rows);
  }

  /**
   * Writes this configuration's file values (not environment overrides, which live only as long as
   * the process) to {@code target} in the current commented layout.
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if it cannot be written
   */
  public void write(Path target) {
    ConfigWriter.write(target, component, fileValues);
  }

  @Override
  public String toString() {
    return "FedlinkConfig["
        + file
        + ", "
        + component
        + ", "
        + find(ConfigKeys.ID).orElse("?")
        + "]";
  }
}
