package org.fedlink.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The set of public keys allowed to authenticate (the SuperLink's {@code --auth-list-public-keys}).
 *
 * <p>The file format accepts both Flower's CSV form (one or more OpenSSH public keys per line,
 * separated by commas, optionally in double quotes) and one key per line; blank lines and lines
 * starting with {@code #} are ignored. Keys are identified by their blob: comments do not matter
 * and duplicates collapse to the first occurrence.
 *
 * <p>Immutable and thread-safe.
 */
public final class KnownKeys {
  private final Map<OpenSshPublicKey, OpenSshPublicKey> keys;

  private KnownKeys(Map<OpenSshPublicKey, OpenSshPublicKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /** Returns a set holding the given keys, in order, without duplicates. */
  public static KnownKeys of(Collection<OpenSshPublicKey> keys) {
    Map<OpenSshPublicKey, OpenSshPublicKey> map = new LinkedHashMap<>();
    for (OpenSshPublicKey k : keys) {
      map.putIfAbsent(k, k);
    }
    return new KnownKeys(map);
  }

  /**
   * Reads a known-keys file.
   *
   * @throws KeyFormatException naming the file, the line and what is wrong with the first bad entry
   * @throws IOException if the file cannot be read
   */
  public static KnownKeys read(Path file) throws IOException, KeyFormatException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses the content of a known-keys file.
   *
   * @param source label for error messages, usually the file path
   * @throws KeyFormatException naming the source, the line and what is wrong with the first bad
   *     entry
   */
  public static KnownKeys parse(String content, String source) throws KeyFormatException {
    Map<OpenSshPublicKey, OpenSshPublicKey> map = new LinkedHashMap<>();
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",", -1);
      for (int f = 0; f < fields.length; f++) {
        String field = unquote(fields[f].strip());
        if (field.isEmpty()) {
          continue;
        }
        try {
          OpenSshPublicKey key = OpenSshPublicKey.parse(field);
          map.putIfAbsent(key, key);
        } catch (KeyFormatException e) {
          String where = fields.length > 1 ? "key " + (f + 1) + " of the line: " : "";
          throw new KeyFormatException(source, i + 1, where + e.getMessage(), e);
        }
      }
    }
    return new KnownKeys(map);
  }

  /** Returns the known key with the same blob as {@code key}, if any (with its file comment). */
  public Optional<OpenSshPublicKey> find(OpenSshPublicKey key) {
    return Optional.ofNullable(keys.get(key));
  }

  /** Returns whether a key with the same blob is known. */
  public boolean contains(OpenSshPublicKey key) {
    return keys.containsKey(key);
  }

  /** Returns the keys in file order, without duplicates; the list is unmodifiable. */
  public List<OpenSshPublicKey> keys() {
    return List.copyOf(keys.keySet());
  }

  /** Returns the {@code SHA256:} fingerprints of the keys, in file order. */
  public List<String> fingerprints() {
    List<String> out = new ArrayList<>(keys.size());
    for (OpenSshPublicKey k : keys.keySet()) {
      out.add(k.fingerprint());
    }
    return Collections.unmodifiableList(out);
  }

  /** Returns the number of distinct keys. */
  public int size() {
    return keys.size();
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1).strip()
        : s;
  }

  @Override
  public String toString() {
    return "KnownKeys" + fingerprints();
  }
}
