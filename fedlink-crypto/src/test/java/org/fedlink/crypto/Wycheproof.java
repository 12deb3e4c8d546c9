package org.fedlink.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Loads Wycheproof test vector files from the test resources (see wycheproof/README.md). */
public final class Wycheproof {
  private Wycheproof() {}

  /** One test case with its group's attributes. */
  public record Case(Map<String, Object> group, Map<String, Object> test) {
    public long tcId() {
      return (Long) test.get("tcId");
    }

    public String result() {
      return (String) test.get("result");
    }

    public byte[] hex(String field) {
      return HexFormat.of().parseHex((String) test.get(field));
    }

    public String str(String field) {
      return (String) test.get(field);
    }

    public long groupLong(String field) {
      return (Long) group.get(field);
    }

    @Override
    public String toString() {
      return "tcId " + tcId() + " (" + result() + ", " + test.get("comment") + ")";
    }
  }

  /** Returns every test case of a file, and checks the count against numberOfTests. */
  @SuppressWarnings("unchecked")
  public static List<Case> cases(String fileName) throws IOException {
    String text;
    try (InputStream in = Wycheproof.class.getResourceAsStream("/wycheproof/" + fileName)) {
      if (in == null) {
        throw new IOException("missing test resource wycheproof/" + fileName);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, Object> root = (Map<String, Object>) TestJson.parse(text);
    List<Case> out = new ArrayList<>();
    for (Object g : (List<Object>) root.get("testGroups")) {
      Map<String, Object> group = (Map<String, Object>) g;
      for (Object t : (List<Object>) group.get("tests")) {
        out.add(new Case(group, (Map<String, Object>) t));
      }
    }
    long expected = (Long) root.get("numberOfTests");
    if (out.size() != expected) {
      throw new IOException(fileName + ": read " + out.size() + " cases, header says " + expected);
    }
    return out;
  }
}
