package org.fedlink.core;

/**
 * Makes text that came from a peer (a JAR entry name, a researcher id, a source file) safe to print
 * on a terminal: characters that a terminal or an editor acts on instead of showing are replaced by
 * visible escapes, so a hostile name cannot move the cursor, clear the screen, rewrite earlier
 * output or hide code behind bidirectional overrides ("Trojan Source").
 *
 * <p>Escaped: C0 and C1 control characters and DEL as {@code \xNN} (so ESC becomes {@code \x1b}),
 * format characters (Unicode category Cf: bidi overrides and isolates, zero-width characters) and
 * line or paragraph separators and unpaired surrogates as {@code <U+XXXX>}. {@link #line} also
 * escapes tab, line feed and the backslash (so an escape in the output is never ambiguous); {@link
 * #block} keeps tab and line feed, for multi-line text such as source code. Stateless and
 * thread-safe.
 */
public final class TerminalText {
  private TerminalText() {}

  /**
   * {@code text} as one printable line, or {@code "-"} if it is null.
   *
   * @param text any text, possibly from a peer
   */
  public static String line(String text) {
    return text == null ? "-" : escape(text, false);
  }

  /**
   * {@code text} with its line feeds and tabs kept and everything else a terminal would act on
   * escaped; a carriage return is escaped (it would let a line overwrite itself).
   *
   * @param text multi-line text, possibly from a peer; not null
   */
  public static String block(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean multiLine) {
    StringBuilder out = null;
    int n = text.length();
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      int width = Character.charCount(cp);
      String replacement = replacement(cp, multiLine);
      if (replacement != null && out == null) {
        out = new StringBuilder(n + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.appendCodePoint(cp);
        }
      }
      i += width;
    }
    return out == null ? text : out.toString();
  }

  private static String replacement(int cp, boolean multiLine) {
    if (multiLine && (cp == '\n' || cp == '\t')) {
      return null;
    }
    if (!multiLine && cp == '\\') {
      return "\\\\";
    }
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      return String.format("\\x%02x", cp);
    }
    int type = Character.getType(cp);
    if (type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE) {
      return String.format("<U+%04X>", cp);
    }
    return null;
  }
}
