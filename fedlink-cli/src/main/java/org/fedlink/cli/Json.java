package org.fedlink.cli;

import java.util.Locale;
import java.util.Map;

/**
 * The little JSON the CLI prints with {@code --json}: strings escaped per RFC 8259 (control
 * characters as {@code \\uXXXX}, so a value a peer chose cannot reach the terminal raw), numbers,
 * booleans, and objects built in order. Not a parser.
 */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private boolean first = true;

  private Json() {}

  static Json object() {
    Json j = new Json();
    j.out.append('{');
    return j;
  }

  Json put(String name, String value) {
    return key(name).append(quote(value));
  }

  Json put(String name, long value) {
    return key(name).append(Long.toString(value));
  }

  Json put(String name, boolean value) {
    return key(name).append(Boolean.toString(value));
  }

  Json put(String name, double value) {
    return key(name).append(number(value));
  }

  /** A value already written as JSON (an object or an array). */
  Json raw(String name, String json) {
    return key(name).append(json);
  }

  Json putStrings(String name, Map<String, String> map) {
    Json o = object();
    map.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> o.put(e.getKey(), e.getValue()));
    return raw(name, o.end());
  }

  Json putNumbers(String name, Map<String, Double> map) {
    Json o = object();
    map.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> o.put(e.getKey(), e.getValue()));
    return raw(name, o.end());
  }

  String end() {
    return out.append('}').toString();
  }

  static String array(Iterable<String> jsonValues) {
    StringBuilder b = new StringBuilder("[");
    for (String v : jsonValues) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(v);
    }
    return b.append(']').toString();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  private Json key(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    out.append(quote(name)).append(':');
    return this;
  }

  private Json append(String s) {
    out.append(s);
    return this;
  }
}
