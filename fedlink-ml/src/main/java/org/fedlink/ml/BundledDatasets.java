package org.fedlink.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Small public data sets shipped as resources of this module (see {@code
 * org/fedlink/ml/data/PROVENANCE.md} for sources and licences):
 *
 * <ul>
 *   <li>{@code breast-cancer}: 569 rows, 30 features, 2 classes (0 malignant, 1 benign);
 *   <li>{@code digits}: 1797 rows, 64 features (8x8 pixels, 0..16), 10 classes.
 * </ul>
 *
 * <p>Each call parses the resource again and returns a new {@link Dataset}. Thread-safe.
 */
public final class BundledDatasets {
  public static final String BREAST_CANCER = "breast-cancer";
  public static final String DIGITS = "digits";

  private static final Map<String, String> RESOURCES =
      Map.of(BREAST_CANCER, "data/breast_cancer.csv", DIGITS, "data/digits.csv.gz");

  private BundledDatasets() {}

  /** Names of the bundled data sets, sorted. */
  public static List<String> names() {
    return List.of(BREAST_CANCER, DIGITS);
  }

  /**
   * Loads a bundled data set.
   *
   * @throws FedlinkException NOT_FOUND naming the value and the known names
   */
  public static Dataset load(String name) {
    String resource = name == null ? null : RESOURCES.get(name);
    if (resource == null) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND,
          "no bundled data set named '" + name + "'; bundled data sets: " + names());
    }
    try (InputStream in = BundledDatasets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new FedlinkException(
            ErrorCode.INTERNAL, "resource " + resource + " is missing from the fedlink-ml jar");
      }
      return CsvDatasetLoader.read(in, resource, CsvOptions.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
