package org.fedlink.ml.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.CsvOptions;
import org.fedlink.ml.Dataset;

/** Parses one CSV input into a {@link Dataset}. Single use, not thread-safe. */
public final class CsvParser {
  /** Labels are class indices; a larger value is almost surely a regression target or an id. */
  public static final int MAX_LABEL = 65_535;

  private final String source;
  private final CsvOptions options;
  private int lineNo;
  private float[] x = new float[1024];
  private int[] y = new int[64];
  private int rows;

  public CsvParser(String source, CsvOptions options) {
    this.source = source;
    this.options = options;
  }

  /** Reads every line; the caller closes the reader. */
  public Dataset parse(BufferedReader reader) throws IOException {
    String first = nextLine(reader);
    if (first == null) {
      throw fail(source + " is empty; expected CSV rows of features then a label");
    }
    int firstLineNo = lineNo;
    String[] fields = split(first);
    String second = null;
    boolean header =
        switch (options.header()) {
          case PRESENT -> true;
          case ABSENT -> false;
          case AUTO -> {
            if (!allNumeric(fields)) {
              yield true;
            }
            second = nextLine(reader);
            yield second != null && split(second).length != fields.length;
          }
        };
    String[] names = header ? fields : null;
    int secondLineNo = lineNo;
    String data;
    int dataLineNo;
    if (!header) {
      data = first;
      dataLineNo = firstLineNo;
    } else if (second != null) {
      data = second;
      dataLineNo = secondLineNo;
      second = null;
    } else {
      data = nextLine(reader);
      dataLineNo = lineNo;
      if (data == null) {
        throw fail(source + " has a header line but no data rows");
      }
    }
    String[] dataFields = split(data);
    int cols = dataFields.length;
    int label = labelIndex(names, cols, dataLineNo);
    int resume = lineNo;
    lineNo = dataLineNo;
    addRow(dataFields, cols, label);
    if (second != null) {
      lineNo = secondLineNo;
      addRow(split(second), cols, label);
    }
    lineNo = resume;
    String line;
    while ((line = nextLine(reader)) != null) {
      addRow(split(line), cols, label);
    }
    return new Dataset(Arrays.copyOf(x, rows * (cols - 1)), Arrays.copyOf(y, rows), rows, cols - 1);
  }

  private int labelIndex(String[] names, int cols, int dataLineNo) {
    if (cols < 2) {
      throw fail(
          source
              + " line "
              + dataLineNo
              + " has "
              + cols
              + " field; need at least one feature and a label");
    }
    if (options.labelName() != null) {
      if (names == null) {
        throw fail(
            "label column '"
                + options.labelName()
                + "' needs a header line, but "
                + source
                + " has none; give the label column by index instead");
      }
      for (int j = 0; j < names.length; j++) {
        if (names[j].equals(options.labelName())) {
          if (names.length != cols) {
            throw fail(source + " header has " + names.length + " names but rows have " + cols);
          }
          return j;
        }
      }
      throw fail(
          "label column '"
              + options.labelName()
              + "' is not in the header of "
              + source
              + "; columns are "
              + abbreviate(names));
    }
    int idx = options.labelColumn() < 0 ? cols + options.labelColumn() : options.labelColumn();
    if (idx < 0 || idx >= cols) {
      throw fail(
          "label column "
              + options.labelColumn()
              + " is outside the "
              + cols
              + " columns of "
              + source
              + "; use 0.."
              + (cols - 1)
              + " or -1 for the last");
    }
    return idx;
  }

  private void addRow(String[] f, int cols, int labelCol) {
    if (f.length != cols) {
      throw fail(
          source
              + " line "
              + lineNo
              + " has "
              + f.length
              + " fields, expected "
              + cols
              + " fields");
    }
    int d = cols - 1;
    if ((long) (rows + 1) * d > Integer.MAX_VALUE - 8) {
      throw fail(source + " is too large: more than " + rows + " rows of " + d + " features");
    }
    if (x.length < (rows + 1) * d) {
      long grown = Math.max(2L * x.length, (long) (rows + 1) * d);
      x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8, grown));
    }
    if (y.length == rows) {
      y = Arrays.copyOf(y, 2 * rows);
    }
    int off = rows * d;
    for (int j = 0; j < cols; j++) {
      if (j == labelCol) {
        y[rows] = parseLabel(f[j], j);
      } else {
        x[off++] = parseFeature(f[j], j);
      }
    }
    rows++;
  }

  private float parseFeature(String s, int col) {
    float v;
    try {
      v = Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw fail(
          where(col) + "'" + s + "' is not a number; every feature must be numeric",
          at(col) + "a feature is not a number; every feature must be numeric");
    }
    if (!Float.isFinite(v)) {
      throw fail(
          where(col) + "'" + s + "' is not finite; remove or impute missing values",
          at(col) + "a feature is not finite; remove or impute missing values");
    }
    return v;
  }

  private int parseLabel(String s, int col) {
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!(v >= 0) || v != Math.rint(v) || v > MAX_LABEL) {
      throw fail(
          where(col)
              + "label '"
              + s
              + "' is not a class index; labels must be integers in 0.."
              + MAX_LABEL,
          at(col) + "a label is not a class index; labels must be integers in 0.." + MAX_LABEL);
    }
    return (int) v;
  }

  private String where(int col) {
    return source + " line " + lineNo + ", column " + (col + 1) + ": ";
  }

  /** {@link #where} without the file: for another party. */
  private String at(int col) {
    return "line " + lineNo + ", column " + (col + 1) + ": ";
  }

  private String nextLine(BufferedReader reader) throws IOException {
    String line;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (!line.isBlank()) {
        return line;
      }
    }
    return null;
  }

  private String[] split(String line) {
    List<String> out = new ArrayList<>();
    char delim = options.delimiter();
    int start = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == delim) {
        String f = line.substring(start, i).trim();
        if (f.length() >= 2 && f.charAt(0) == '"' && f.charAt(f.length() - 1) == '"') {
          f = f.substring(1, f.length() - 1).trim();
        }
        out.add(f);
        start = i + 1;
      }
    }
    return out.toArray(new String[0]);
  }

  private static boolean allNumeric(String[] fields) {
    for (String f : fields) {
      try {
        Double.parseDouble(f);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String[] names) {
    List<String> l = Arrays.asList(names);
    return names.length <= 12 ? l.toString() : l.subList(0, 12) + " and " + (names.length - 12);
  }

  /** A failure whose message, for another party, names the data file only as "the file". */
  private FedlinkException fail(String message) {
    return fail(message, message.replace(source, "the data file"));
  }

  private static FedlinkException fail(String local, String peer) {
    return FedlinkException.withPeerMessage(ErrorCode.INVALID_ARGUMENT, local, peer);
  }
}
