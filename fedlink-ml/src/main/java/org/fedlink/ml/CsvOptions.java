package org.fedlink.ml;

import java.util.Objects;

/**
 * How {@link CsvDatasetLoader} reads a CSV file. Immutable; build from {@link #defaults()} with the
 * {@code with...} methods.
 *
 * @param header whether the first line is a header
 * @param labelColumn zero-based index of the label column; negative counts from the end ({@code
 *     -1}, the default, is the last column)
 * @param labelName name of the label column in the header; when set it wins over {@code
 *     labelColumn} and a header is required
 * @param delimiter field separator, {@code ','} by default
 */
public record CsvOptions(Header header, int labelColumn, String labelName, char delimiter) {

  /** Header handling. */
  public enum Header {
    /**
     * Skip the first line if one of its fields is not a number, or if its field count differs from
     * the next line's (scikit-learn's {@code rows,features,class names...} line).
     */
    AUTO,
    /** The first line is a header. */
    PRESENT,
    /** Every line is data. */
    ABSENT
  }

  public CsvOptions {
    Objects.requireNonNull(header, "header");
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '.') {
      throw new IllegalArgumentException("delimiter cannot be '" + delimiter + "'");
    }
  }

  /** Auto-detected header, label in the last column, comma separated. */
  public static CsvOptions defaults() {
    return new CsvOptions(Header.AUTO, -1, null, ',');
  }

  public CsvOptions withHeader(Header h) {
    return new CsvOptions(h, labelColumn, labelName, delimiter);
  }

  /** Label at this zero-based column index (negative: from the end). */
  public CsvOptions withLabelColumn(int index) {
    return new CsvOptions(header, index, null, delimiter);
  }

  /** Label in the header column of this name. */
  public CsvOptions withLabelName(String name) {
    return new CsvOptions(header, labelColumn, Objects.requireNonNull(name, "name"), delimiter);
  }

  public CsvOptions withDelimiter(char d) {
    return new CsvOptions(header, labelColumn, labelName, d);
  }
}
