package org.fedlink.crypto;

import java.security.spec.InvalidKeySpecException;

/**
 * A key, key file or known-keys file could not be read: wrong format, unsupported algorithm or
 * curve, truncated data, or a point that is not on its curve.
 *
 * <p>The message names the source (a file path or a caller-supplied label), the line number when
 * the source is line-oriented, what was wrong and what is allowed. It never contains key material.
 */
public final class KeyFormatException extends InvalidKeySpecException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int lineNumber;

  /**
   * Creates an exception about a whole source.
   *
   * @param source file path or label of the input, or {@code null} when unknown
   * @param problem what was wrong and what is allowed
   */
  public KeyFormatException(String source, String problem) {
    this(source, 0, problem, null);
  }

  /**
   * Creates an exception about one line of a source.
   *
   * @param source file path or label of the input, or {@code null} when unknown
   * @param lineNumber 1-based line number, or 0 when not line-oriented
   * @param problem what was wrong and what is allowed
   * @param cause the underlying failure, or {@code null}
   */
  public KeyFormatException(String source, int lineNumber, String problem, Throwable cause) {
    super(prefix(source, lineNumber) + problem, cause);
    this.source = source;
    this.lineNumber = lineNumber;
  }

  /** Returns the file path or label of the input, or {@code null} when unknown. */
  public String source() {
    return source;
  }

  /** Returns the 1-based line number, or 0 when the error is not about one line. */
  public int lineNumber() {
    return lineNumber;
  }

  private static String prefix(String source, int lineNumber) {
    if (source == null) {
      return "";
    }
    return lineNumber > 0 ? source + ":" + lineNumber + ": " : source + ": ";
  }
}
