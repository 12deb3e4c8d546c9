package org.fedlink.cli;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the SuperLink's Prometheus text exposition into sums at a glance: each {@code
 * fedlink_superlink_NAME} series summed by NAME (units suffixes {@code _total} dropped), and also
 * by NAME with its one label that matters ({@code status}, {@code reason}, {@code outcome}). Lines
 * it does not understand are skipped.
 */
final class PrometheusText {
  private static final String PREFIX = "fedlink_superlink_";

  private PrometheusText() {}

  static Map<String, Double> summarize(String text) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#") || !line.startsWith(PREFIX)) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      double value;
      try {
        value = Double.parseDouble(line.substring(space + 1).trim());
      } catch (NumberFormatException e) {
        continue;
      }
      String series = line.substring(PREFIX.length(), space).trim();
      int brace = series.indexOf('{');
      String name = brace < 0 ? series : series.substring(0, brace);
      name =
          name.replaceAll("_(total|seconds)$", "").replaceAll("_seconds_(sum|count|max)$", "_$1");
      if (name.endsWith("_max")) {
        continue;
      }
      out.merge(name, value, Double::sum);
      if (brace > 0) {
        for (String label : new String[] {"status", "reason", "outcome"}) {
          String v = label(series.substring(brace), label);
          if (v != null) {
            out.merge(name + "{" + label + "=" + v + "}", value, Double::sum);
          }
        }
      }
    }
    return out;
  }

  private static String label(String labels, String name) {
    String key = name + "=\"";
    int i = labels.indexOf(key);
    if (i < 0 || (i > 0 && Character.isLetterOrDigit(labels.charAt(i - 1)))) {
      return null;
    }
    int start = i + key.length();
    int end = labels.indexOf('"', start);
    return end < 0 ? null : labels.substring(start, end);
  }
}
