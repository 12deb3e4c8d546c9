package org.fedlink.crypto.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads a Wycheproof JSON file from test resources with a minimal JSON reader. */
final class Wycheproof {
  private final String s;
  private int i;

  private Wycheproof(String s) {
    this.s = s;
  }

  /** The parsed top-level object of {@code wycheproof/<name>}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> load(String name) {
    try (InputStream in = Wycheproof.class.getResourceAsStream("/wycheproof/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource wycheproof/" + name);
      }
      Wycheproof p = new Wycheproof(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Object v = p.value();
      p.skipSpace();
      if (p.i != p.s.length()) {
        throw new IllegalStateException("trailing JSON at " + p.i);
      }
      return (Map<String, Object>) v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    return (List<Map<String, Object>>) m.get(key);
  }

  static byte[] hex(Map<String, Object> m, String key) {
    return HexFormat.of().parseHex((String) m.get(key));
  }

  private Object value() {
    skipSpace();
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        return number();
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    skipSpace();
    if (s.charAt(i) == '}') {
      i++;
      return m;
    }
    while (true) {
      skipSpace();
      String key = string();
      skipSpace();
      expect(':');
      m.put(key, value());
      skipSpace();
      if (s.charAt(i++) == '}') {
        return m;
      }
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    i++;
    skipSpace();
    if (s.charAt(i) == ']') {
      i++;
      return l;
    }
    while (true) {
      l.add(value());
      skipSpace();
      if (s.charAt(i++) == ']') {
        return l;
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> sb.append(e);
      }
    }
  }

  private Object number() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String t = s.substring(start, i);
    // Not a conditional expression: it would promote the long to a double.
    if (t.contains(".") || t.contains("e") || t.contains("E")) {
      return Double.parseDouble(t);
    }
    return Long.parseLong(t);
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) {
      throw new IllegalStateException("bad JSON literal at " + i);
    }
    i += word.length();
    return v;
  }

  private void expect(char c) {
    if (s.charAt(i++) != c) {
      throw new IllegalStateException("expected '" + c + "' at " + (i - 1));
    }
  }

  private void skipSpace() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
