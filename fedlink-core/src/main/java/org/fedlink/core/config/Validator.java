package org.fedlink.core.config;

import java.util.Optional;

/**
 * Checks a parsed configuration value. A problem is described as the end of a sentence that starts
 * with "{@code [section] key = value}", e.g. "is out of range; use 1..65535", so that every message
 * names the key, the value and what is allowed. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface Validator<T> {
  /** The problem with {@code value}, or empty if it is acceptable. */
  Optional<String> check(T value);

  /** Accepts everything. */
  static <T> Validator<T> any() {
    return v -> Optional.empty();
  }

  /** Accepts integers in {@code min..max} inclusive. */
  static Validator<Integer> range(int min, int max) {
    return v ->
        v < min || v > max
            ? Optional.of("is out of range; use " + min + ".." + max)
            : Optional.empty();
  }

  /** Accepts non-blank strings made of letters, digits, '_', '-' and '.' (usable in file names). */
  static Validator<String> identifier() {
    return v ->
        v.matches("[A-Za-z0-9_.-]+") && !v.startsWith(".")
            ? Optional.empty()
            : Optional.of("is not a usable id; use letters, digits, '_', '-' and '.'");
  }

  /** Accepts strings without whitespace (host names, IP literals). */
  static Validator<String> host() {
    return v ->
        v.isBlank() || v.chars().anyMatch(Character::isWhitespace)
            ? Optional.of("is not a host; use a DNS name or an IP address such as localhost")
            : Optional.empty();
  }
}
