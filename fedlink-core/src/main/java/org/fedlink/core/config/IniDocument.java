package org.fedlink.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * An INI file as lines, so that a rewrite keeps comments, blank lines and key order: only the lines
 * of changed keys differ. The dialect is the one Python's {@code configparser} writes for
 * Fed-BioMed: {@code [section]} headers, {@code key = value} entries, {@code #} or {@code ;}
 * comment lines, no inline comments, no continuation lines. Section and key names are
 * case-insensitive (stored lower case); values are trimmed.
 *
 * <p>Immutable and thread-safe: {@link #with} and {@link #without} return new documents.
 */
public final class IniDocument {
  /** One line of the file; {@code number} is 1-based, 0 for lines added in memory. */
  record Line(Kind kind, String section, String key, String value, String text, int number) {}

  enum Kind {
    BLANK,
    COMMENT,
    HEADER,
    ENTRY
  }

  private final String source;
  private final List<Line> lines;

  private IniDocument(String source, List<Line> lines) {
    this.source = source;
    this.lines = List.copyOf(lines);
  }

  /**
   * Parses INI text.
   *
   * @param source a name for messages, usually the file name
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} for a line that is none of the forms
   *     above, an entry before any section, or a section or key given twice; the message names the
   *     source and line
   */
  public static IniDocument parse(String text, String source) {
    List<Line> lines = new ArrayList<>();
    Map<String, Integer> headers = new LinkedHashMap<>();
    Map<String, Integer> entries = new LinkedHashMap<>();
    String section = null;
    String[] raw =
        text.startsWith("\uFEFF") ? text.substring(1).split("\\R", -1) : text.split("\\R", -1);
    int count = raw.length > 0 && raw[raw.length - 1].isEmpty() ? raw.length - 1 : raw.length;
    for (int i = 0; i < count; i++) {
      int number = i + 1;
      String line = raw[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        lines.add(new Line(Kind.BLANK, section, null, null, line, number));
      } else if (trimmed.startsWith("#") || trimmed.startsWith(";")) {
        lines.add(new Line(Kind.COMMENT, section, null, null, line, number));
      } else if (trimmed.startsWith("[") && trimmed.endsWith("]") && trimmed.length() > 2) {
        section = trimmed.substring(1, trimmed.length() - 1).strip().toLowerCase(Locale.ROOT);
        Integer previous = headers.putIfAbsent(section, number);
        if (previous != null) {
          throw problem(
              source,
              "section ["
                  + section
                  + "] appears twice (lines "
                  + previous
                  + " and "
                  + number
                  + "); merge them");
        }
        lines.add(new Line(Kind.HEADER, section, null, null, line, number));
      } else if (trimmed.indexOf('=') > 0) {
        int eq = trimmed.indexOf('=');
        String key = trimmed.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = trimmed.substring(eq + 1).strip();
        if (section == null) {
          throw problem(
              source,
              "line "
                  + number
                  + ": '"
                  + key
                  + " = ...' comes before any [section] header; put it under its section");
        }
        Integer previous = entries.putIfAbsent(section + "\0" + key, number);
        if (previous != null) {
          throw problem(
              source,
              "["
                  + section
                  + "] "
                  + key
                  + " is set twice (lines "
                  + previous
                  + " and "
                  + number
                  + "); keep one");
        }
        lines.add(new Line(Kind.ENTRY, section, key, value, line, number));
      } else {
        throw problem(
            source,
            "line "
                + number
                + ": '"
                + trimmed
                + "' is neither a [section] header, a key = value entry nor a # comment");
      }
    }
    return new IniDocument(source, lines);
  }

  /**
   * Reads and parses a file (UTF-8).
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if the file is missing, unreadable or
   *     malformed
   */
  public static IniDocument read(Path file) {
    String name = file.getFileName().toString();
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot read configuration file "
              + file
              + ": "
              + e
              + "; check the path (configuration create writes it under <root>/etc)",
          e);
    }
  }

  /** The name used in messages. */
  public String source() {
    return source;
  }

  /** The value of {@code section.key}, if the file sets it (an empty value counts as set). */
  public Optional<String> get(String section, String key) {
    return entry(section, key).map(Line::value);
  }

  /** The 1-based line of {@code section.key}, or 0 if absent or added in memory. */
  public int lineOf(String section, String key) {
    return entry(section, key).map(Line::number).orElse(0);
  }

  /** Section names in file order, lower case. */
  public List<String> sections() {
    return lines.stream().filter(l -> l.kind() == Kind.HEADER).map(Line::section).toList();
  }

  /** Keys of {@code section} in file order, lower case. */
  public List<String> keys(String section) {
    String s = section.toLowerCase(Locale.ROOT);
    return lines.stream()
        .filter(l -> l.kind() == Kind.ENTRY && l.section().equals(s))
        .map(Line::key)
        .toList();
  }

  /**
   * A copy where {@code section.key = value}: the key's line is rewritten in place, or a new line
   * is added after the section's last entry or comment (the section is appended if missing).
   *
   * @throws IllegalArgumentException if a name or the value contains a line break or a name is
   *     blank
   */
  public IniDocument with(String section, String key, String value) {
    String s = name(section, "section");
    String k = name(key, "key");
    Objects.requireNonNull(value, "value");
    if (value.contains("\n") || value.contains("\r")) {
      throw new IllegalArgumentException("value of [" + s + "] " + k + " must be one line");
    }
    String text = k + " = " + value.strip();
    List<Line> copy = new ArrayList<>(lines);
    for (int i = 0; i < copy.size(); i++) {
      Line l = copy.get(i);
      if (l.kind() == Kind.ENTRY && l.section().equals(s) && l.key().equals(k)) {
        copy.set(i, new Line(Kind.ENTRY, s, k, value.strip(), text, l.number()));
        return new IniDocument(source, copy);
      }
    }
    Line added = new Line(Kind.ENTRY, s, k, value.strip(), text, 0);
    int insertAt = -1;
    for (int i = 0; i < copy.size(); i++) {
      Line l = copy.get(i);
      if (s.equals(l.section()) && l.kind() != Kind.BLANK) {
        insertAt = i + 1;
      }
    }
    if (insertAt < 0) {
      if (!copy.isEmpty() && copy.get(copy.size() - 1).kind() != Kind.BLANK) {
        copy.add(new Line(Kind.BLANK, null, null, null, "", 0));
      }
      copy.add(new Line(Kind.HEADER, s, null, null, "[" + s + "]", 0));
      copy.add(added);
    } else {
      copy.add(insertAt, added);
    }
    return new IniDocument(source, copy);
  }

  /** A copy without {@code section.key} (the same document if absent). */
  public IniDocument without(String section, String key) {
    String s = section.toLowerCase(Locale.ROOT);
    String k = key.toLowerCase(Locale.ROOT);
    List<Line> copy = new ArrayList<>(lines);
    copy.removeIf(l -> l.kind() == Kind.ENTRY && l.section().equals(s) && l.key().equals(k));
    return new IniDocument(source, copy);
  }

  /** The file text: unchanged lines byte for byte, {@code \n} line ends. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (Line l : lines) {
      out.append(l.text()).append('\n');
    }
    return out.toString();
  }

  /**
   * Writes {@link #render()} to {@code file} atomically (temporary sibling, then move).
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if the file cannot be written
   */
  public void write(Path file) {
    writeAtomically(file, render());
  }

  static void writeAtomically(Path file, String text) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "cannot write configuration file " + file + ": " + e, e);
    }
  }

  private Optional<Line> entry(String section, String key) {
    String s = section.toLowerCase(Locale.ROOT);
    String k = key.toLowerCase(Locale.ROOT);
    return lines.stream()
        .filter(l -> l.kind() == Kind.ENTRY && l.section().equals(s) && l.key().equals(k))
        .findFirst();
  }

  private static String name(String name, String what) {
    if (name == null
        || name.isBlank()
        || name.contains("\n")
        || name.contains("]")
        || name.contains("=")) {
      throw new IllegalArgumentException(what + " name is not usable in an INI file: " + name);
    }
    return name.strip().toLowerCase(Locale.ROOT);
  }

  private static FedlinkException problem(String source, String message) {
    return new FedlinkException(ErrorCode.CONFIGURATION, source + ": " + message);
  }
}
