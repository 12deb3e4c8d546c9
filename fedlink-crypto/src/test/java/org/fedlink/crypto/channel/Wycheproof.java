package org.fedlink.crypto.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.fedlink.crypto.TestJson;

/** Loads a Wycheproof JSON file from the test resources as maps and lists ({@link TestJson}). */
final class Wycheproof {
  private Wycheproof() {}

  /** The parsed top-level object of {@code wycheproof/<name>}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> load(String name) {
    try (InputStream in = Wycheproof.class.getResourceAsStream("/wycheproof/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource wycheproof/" + name);
      }
      return (Map<String, Object>)
          TestJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
}
