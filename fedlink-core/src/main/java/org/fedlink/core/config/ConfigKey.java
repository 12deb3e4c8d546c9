package org.fedlink.core.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One documented configuration key, in the style of Kafka's {@code ProducerConfig}: section, name,
 * type, default, validator, documentation, whether its value is secret, and which components read
 * or require it. Every key Fedlink knows is a constant of {@link ConfigKeys}. Immutable and
 * thread-safe.
 *
 * @param <T> the Java type of the value
 */
public final class ConfigKey<T> {
  private final String section;
  private final String name;
  private final ConfigType<T> type;
  private final T defaultValue;
  private final Validator<T> validator;
  private final String doc;
  private final boolean secret;
  private final Set<Component> readBy;
  private final Set<Component> requiredBy;

  private ConfigKey(Builder<T> b) {
    this.section = b.section;
    this.name = b.name;
    this.type = b.type;
    this.defaultValue = b.defaultValue;
    this.validator = b.validator;
    if (b.doc == null || b.doc.isBlank()) {
      throw new IllegalArgumentException(b.section + "." + b.name + " has no documentation");
    }
    this.doc = b.doc;
    this.secret = b.secret;
    this.readBy = Set.copyOf(b.readBy);
    this.requiredBy = Set.copyOf(b.requiredBy);
    if (defaultValue != null && validator.check(defaultValue).isPresent()) {
      throw new IllegalArgumentException("default of " + qualifiedName() + " is invalid");
    }
  }

  /** Starts a key; {@link Builder#build()} validates it. */
  public static <T> Builder<T> builder(String section, String name, ConfigType<T> type) {
    return new Builder<>(section, name, type);
  }

  public String section() {
    return section;
  }

  public String name() {
    return name;
  }

  /** {@code section.name}, e.g. {@code mpc.port}. */
  public String qualifiedName() {
    return section + "." + name;
  }

  /** How messages show the key: {@code [mpc] port}. */
  public String display() {
    return "[" + section + "] " + name;
  }

  /** The environment variable overriding this key: {@code FEDLINK_<SECTION>_<KEY>} upper case. */
  public String envVar() {
    return ("FEDLINK_" + section + "_" + name).toUpperCase(Locale.ROOT);
  }

  public ConfigType<T> type() {
    return type;
  }

  /** The value used when neither the file nor the environment sets the key. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** What the key means and what to put in it. */
  public String doc() {
    return doc;
  }

  /** True if the value must be masked wherever it is shown. */
  public boolean secret() {
    return secret;
  }

  /** True if {@code component} uses this key. */
  public boolean isReadBy(Component component) {
    return readBy.contains(component);
  }

  /** True if a configuration of {@code component} without this key (and no default) is refused. */
  public boolean isRequiredBy(Component component) {
    return requiredBy.contains(component);
  }

  /**
   * Parses and validates {@code text} (trimmed, non-empty).
   *
   * @throws IllegalArgumentException whose message ends "[section] key = value ...", saying what is
   *     allowed
   */
  public T parse(String text) {
    T value = type.parse(text);
    Optional<String> problem = validator.check(value);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    return value;
  }

  /** The text form of {@code value}. */
  public String format(T value) {
    return type.format(value);
  }

  /** Formats a value of unknown static type; it must be a value of this key. */
  String formatUnchecked(Object value) {
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return type.format(typed);
  }

  @Override
  public String toString() {
    return qualifiedName();
  }

  /** Builds a {@link ConfigKey}. Not thread-safe. */
  public static final class Builder<T> {
    private final String section;
    private final String name;
    private final ConfigType<T> type;
    private T defaultValue;
    private Validator<T> validator = Validator.any();
    private String doc;
    private boolean secret;
    private final Set<Component> readBy = EnumSet.noneOf(Component.class);
    private final Set<Component> requiredBy = EnumSet.noneOf(Component.class);

    private Builder(String section, String name, ConfigType<T> type) {
      this.section = Objects.requireNonNull(section, "section");
      this.name = Objects.requireNonNull(name, "name");
      this.type = Objects.requireNonNull(type, "type");
    }

    public Builder<T> defaultValue(T value) {
      this.defaultValue = Objects.requireNonNull(value, "value");
      return this;
    }

    public Builder<T> validator(Validator<T> validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
      return this;
    }

    public Builder<T> doc(String doc) {
      this.doc = doc;
      return this;
    }

    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    /** Components that use the key. */
    public Builder<T> readBy(Component... components) {
      readBy.addAll(List.of(components));
      return this;
    }

    /** Components that refuse to start without it (implies {@link #readBy}). */
    public Builder<T> requiredBy(Component... components) {
      requiredBy.addAll(List.of(components));
      readBy.addAll(List.of(components));
      return this;
    }

    /**
     * @throws IllegalArgumentException if the default fails the validator or the doc is missing
     */
    public ConfigKey<T> build() {
      return new ConfigKey<>(this);
    }
  }
}
