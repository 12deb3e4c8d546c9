package org.fedlink.core.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;

/**
 * Model files by their extension: {@code .flp} (Fedlink's own, {@link ParametersCodec}), {@code
 * .npz} ({@link NpzFile}) and {@code .safetensors} ({@link SafetensorsFile}). Thread-safe.
 */
public final class ModelFiles {
  /** Most bytes of parameters a model file may hold (1 GiB). */
  public static final long MAX_MODEL_BYTES = 1L << 30;

  private ModelFiles() {}

  /**
   * Reads a model file, choosing the format by extension.
   *
   * @throws FedlinkException INVALID_ARGUMENT for an unknown extension or a bad file, naming the
   *     file and the formats known
   */
  public static Parameters read(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".npz")) {
      return NpzFile.read(file, MAX_MODEL_BYTES);
    }
    if (lower.endsWith(".safetensors")) {
      return SafetensorsFile.read(file, MAX_MODEL_BYTES);
    }
    if (lower.endsWith(".flp")) {
      return ParametersCodec.read(file);
    }
    throw new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "model file " + file + " has an unknown extension; use a .flp, .npz or .safetensors file");
  }

  /** Something that writes a file's bytes to a stream. */
  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Writes through a temporary file in the same folder, then renames it over {@code file}. */
  static void writeAtomically(Path file, Writer writer) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          writer.write(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot write model file " + file + ": " + e.getMessage(), e);
    }
  }
}
