package org.fedlink.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The syntax of a configuration value: how its text is parsed and written back. Parsing failures
 * are {@link IllegalArgumentException}s whose message ends the sentence "{@code [section] key =
 * value} ...", e.g. "is not an integer; ...". Immutable and thread-safe.
 */
public final class ConfigType<T> {
  /** Any text. */
  public static final ConfigType<String> STRING = new ConfigType<>("text", s -> s, s -> s);

  /** A decimal 32-bit integer. */
  public static final ConfigType<Integer> INT =
      new ConfigType<>(
          "integer",
          s -> {
            try {
              return Integer.parseInt(s);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("is not an integer; use a whole number");
            }
          },
          String::valueOf);

  /** {@code True}/{@code False} as Fed-BioMed writes them; {@code true}/{@code false} accepted. */
  public static final ConfigType<Boolean> BOOLEAN =
      new ConfigType<>(
          "True or False",
          s -> {
            switch (s) {
              case "True":
              case "true":
                return true;
              case "False":
              case "false":
                return false;
              default:
                throw new IllegalArgumentException("is not a boolean; use True or False");
            }
          },
          b -> b ? "True" : "False");

  /** A file system path; relative paths are resolved against the workspace root by readers. */
  public static final ConfigType<Path> PATH =
      new ConfigType<>(
          "path",
          s -> {
            try {
              return Path.of(s);
            } catch (InvalidPathException e) {
              throw new IllegalArgumentException("is not a valid path: " + e.getReason());
            }
          },
          Path::toString);

  /** {@code host:port}. */
  public static final ConfigType<HostPort> HOST_PORT =
      new ConfigType<>("host:port", HostPort::parse, HostPort::toString);

  private final String description;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;

  private ConfigType(
      String description, Function<String, T> parser, Function<T, String> formatter) {
    this.description = description;
    this.parser = parser;
    this.formatter = formatter;
  }

  /** A type accepting one of {@code allowed} ignoring case, and yielding its canonical spelling. */
  public static ConfigType<String> oneOf(List<String> allowed) {
    List<String> names = List.copyOf(allowed);
    String joined = String.join(", ", names);
    return new ConfigType<>(
        "one of " + joined,
        s -> {
          for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) {
              return name;
            }
          }
          throw new IllegalArgumentException("is not allowed; use one of " + joined);
        },
        s -> s);
  }

  /** What values look like, for documentation, e.g. "integer" or "True or False". */
  public String description() {
    return description;
  }

  /**
   * Parses trimmed, non-empty text.
   *
   * @throws IllegalArgumentException if the text does not have this type
   */
  public T parse(String text) {
    return parser.apply(Objects.requireNonNull(text, "text"));
  }

  /** The text that {@link #parse} turns back into {@code value}. */
  public String format(T value) {
    return formatter.apply(value);
  }
}
