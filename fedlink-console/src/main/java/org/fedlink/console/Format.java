package org.fedlink.console;

import java.util.Locale;

/** Numbers as the console shows them. */
public final class Format {
  private Format() {}

  /** At most 4 decimals, integers without any. */
  public static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
