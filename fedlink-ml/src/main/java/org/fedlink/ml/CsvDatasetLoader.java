package org.fedlink.ml;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.internal.CsvParser;

/**
 * Reads and writes labelled data sets as CSV: one row per sample, numeric features, an integer
 * class label (last column by default). Gzip-compressed input is recognised by its magic bytes;
 * output is compressed when the file name ends in {@code .gz}. Blank lines are skipped.
 *
 * <p>Errors are {@link FedlinkException}s naming the file, the line, the column and the bad value;
 * their {@link FedlinkException#peerMessage() message for another party} names the line and the
 * column only, never the file's path or a value. Stateless and thread-safe.
 */
public final class CsvDatasetLoader {
  private CsvDatasetLoader() {}

  /** Loads {@code file} with {@link CsvOptions#defaults()}. */
  public static Dataset load(Path file) {
    return load(file, CsvOptions.defaults());
  }

  /**
   * Loads a CSV or gzip-compressed CSV file.
   *
   * @throws FedlinkException NOT_FOUND if the file does not exist, INVALID_ARGUMENT if it cannot be
   *     read or a line is malformed (the message names file, line and value)
   */
  public static Dataset load(Path file, CsvOptions options) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), options);
    } catch (NoSuchFileException e) {
      throw FedlinkException.withPeerMessage(
          ErrorCode.NOT_FOUND,
          "data file " + file + " does not exist; check the path",
          "the data file does not exist");
    } catch (IOException e) {
      throw FedlinkException.withPeerMessage(
          ErrorCode.INVALID_ARGUMENT,
          "cannot read data file " + file + ": " + e.getMessage(),
          "the data file cannot be read (details in the node's log)");
    }
  }

  /**
   * Reads CSV (optionally gzip-compressed) from a stream, which the caller closes.
   *
   * @param source how messages name the input, e.g. a file or resource name
   * @throws FedlinkException INVALID_ARGUMENT if the input is malformed or unreadable
   */
  public static Dataset read(InputStream in, String source, CsvOptions options) {
    try {
      BufferedInputStream buffered = new BufferedInputStream(in);
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      InputStream raw = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered) : buffered;
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16);
      return new CsvParser(source, options).parse(reader);
    } catch (IOException e) {
      throw FedlinkException.withPeerMessage(
          ErrorCode.INVALID_ARGUMENT,
          "cannot read data from " + source + ": " + e.getMessage(),
          "the data cannot be read (details in the node's log)");
    }
  }

  /**
   * Writes {@code data} as CSV without header, features then the label, gzip-compressed if the name
   * ends in {@code .gz}. Writes a temporary file beside the target and moves it into place, so a
   * reader never sees half a file. Values read back bit for bit.
   *
   * @throws FedlinkException INVALID_ARGUMENT if the file cannot be written
   */
  public static void write(Dataset data, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try (OutputStream out = open(tmp, file.getFileName().toString().endsWith(".gz"));
          Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
        writeRows(data, w);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "cannot write data file " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the move normally consumed it
        }
      }
    }
  }

  private static OutputStream open(Path tmp, boolean gzip) throws IOException {
    OutputStream out = Files.newOutputStream(tmp);
    return gzip ? new GZIPOutputStream(out, 1 << 16) : out;
  }

  private static void writeRows(Dataset data, Writer w) throws IOException {
    float[] x = data.x();
    int d = data.cols();
    StringBuilder line = new StringBuilder(16 * (d + 1));
    for (int r = 0; r < data.rows(); r++) {
      line.setLength(0);
      for (int j = 0; j < d; j++) {
        appendValue(line, x[r * d + j]).append(',');
      }
      line.append(data.y()[r]).append('\n');
      w.append(line);
    }
  }

  private static StringBuilder appendValue(StringBuilder sb, float v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e7f && !(v == 0 && 1 / v < 0)) {
      return sb.append((long) v);
    }
    return sb.append(Float.toString(v));
  }
}
