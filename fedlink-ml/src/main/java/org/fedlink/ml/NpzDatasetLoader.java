package org.fedlink.ml;

import java.nio.file.Path;
import java.util.Arrays;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.core.model.NpzFile;

/**
 * Data sets saved with {@code numpy.savez(file, x=features, y=labels)}: {@code x} of shape {@code
 * (rows, ...)} (each row flattened in C order, e.g. images of {@code (rows, 1, 28, 28)}) and {@code
 * y} of {@code rows} whole class numbers from 0. Read by {@link NpzFile}, which checks every header
 * and size before allocating ({@value #MAX_BYTES} bytes of arrays at most). Stateless.
 */
public final class NpzDatasetLoader {
  public static final long MAX_BYTES = 1L << 30;

  private NpzDatasetLoader() {}

  /**
   * @throws FedlinkException INVALID_ARGUMENT naming the file and what is wrong
   */
  public static Dataset load(Path file) {
    Parameters arrays = NpzFile.read(file, MAX_BYTES);
    if (!arrays.contains("x") || !arrays.contains("y")) {
      throw bad(
          file,
          "needs arrays 'x' (features) and 'y' (labels), has "
              + arrays.tensors().stream().map(Tensor::name).toList()
              + "; save it with numpy.savez(file, x=..., y=...)");
    }
    Tensor x = arrays.get("x");
    Tensor y = arrays.get("y");
    if (x.shape().length < 2) {
      throw bad(file, "x has shape " + Arrays.toString(x.shape()) + "; need (rows, features...)");
    }
    int rows = x.shape()[0];
    if (y.shape().length != 1 || y.shape()[0] != rows) {
      throw bad(
          file,
          "y has shape "
              + Arrays.toString(y.shape())
              + "; need ("
              + rows
              + ",), one label per row");
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      float v = y.data()[i];
      if (v < 0 || v != Math.rint(v) || v > 1_000_000) {
        throw bad(file, "y[" + i + "] = " + v + " is not a class number (0, 1, 2, ...)");
      }
      labels[i] = (int) v;
    }
    return new Dataset(x.data(), labels, rows, x.size() / rows);
  }

  private static FedlinkException bad(Path file, String m) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, file + ": " + m);
  }
}
