package org.fedlink.core;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Parameters}, used on the wire and for model files ({@code .flp}).
 *
 * <p>Layout, all integers little-endian:
 *
 * <pre>
 *   magic    4 bytes  "FLPM"
 *   version  1 byte   1
 *   count    int32    number of tensors
 *   per tensor:
 *     nameLen  uint16, then nameLen bytes of UTF-8
 *     rank     uint8,  then rank x int32 dimensions
 *     data     product(dims) x float32 (IEEE 754, little-endian), row-major
 * </pre>
 *
 * Thread-safe (stateless).
 */
public final class ParametersCodec {
  private static final byte[] MAGIC = {'F', 'L', 'P', 'M'};
  private static final int VERSION = 1;

  private ParametersCodec() {}

  /** Serializes parameters. */
  public static byte[] encode(Parameters parameters) {
    long size = 4 + 1 + 4;
    List<byte[]> names = new ArrayList<>();
    for (Tensor t : parameters.tensors()) {
      byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
      if (name.length > 0xFFFF) {
        throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "tensor name too long: " + t.name());
      }
      names.add(name);
      size += 2 + name.length + 1 + 4L * t.shape().length + 4L * t.size();
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "parameters too large to serialize: " + size + " bytes");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) VERSION).putInt(parameters.tensors().size());
    int i = 0;
    for (Tensor t : parameters.tensors()) {
      byte[] name = names.get(i++);
      buf.putShort((short) name.length).put(name);
      buf.put((byte) t.shape().length);
      for (int d : t.shape()) {
        buf.putInt(d);
      }
      buf.asFloatBuffer().put(t.data());
      buf.position(buf.position() + 4 * t.size());
    }
    return buf.array();
  }

  /**
   * Parses parameters.
   *
   * @throws FedlinkException with {@link ErrorCode#INVALID_ARGUMENT} if the bytes are not a valid
   *     encoding (wrong magic, unknown version, truncated, trailing bytes)
   */
  public static Parameters decode(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte[] magic = new byte[4];
      buf.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw invalid("not a Fedlink parameters file (bad magic)");
      }
      int version = buf.get() & 0xFF;
      if (version != VERSION) {
        throw invalid("parameters format version " + version + " is not supported (want 1)");
      }
      int count = buf.getInt();
      if (count < 0 || count > 1_000_000) {
        throw invalid("implausible tensor count " + count);
      }
      List<Tensor> tensors = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        int nameLen = buf.getShort() & 0xFFFF;
        byte[] name = new byte[nameLen];
        buf.get(name);
        int rank = buf.get() & 0xFF;
        int[] shape = new int[rank];
        long n = 1;
        for (int r = 0; r < rank; r++) {
          shape[r] = buf.getInt();
          if (shape[r] < 1) {
            throw invalid("tensor dimension " + shape[r] + " must be at least 1");
          }
          n *= shape[r];
          if (n > Integer.MAX_VALUE) {
            throw invalid("tensor shape holds more than " + Integer.MAX_VALUE + " values");
          }
        }
        if (n * 4 > buf.remaining()) {
          throw invalid(
              "truncated: tensor needs " + (n * 4) + " bytes, " + buf.remaining() + " left");
        }
        float[] data = new float[(int) n];
        buf.asFloatBuffer().get(data);
        buf.position(buf.position() + 4 * data.length);
        tensors.add(new Tensor(new String(name, StandardCharsets.UTF_8), shape, data));
      }
      if (buf.hasRemaining()) {
        throw invalid(buf.remaining() + " unexpected trailing bytes");
      }
      return Parameters.of(tensors);
    } catch (BufferUnderflowException e) {
      throw invalid("truncated parameters");
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** Writes parameters to a file atomically (write to a temporary file, then rename). */
  public static void write(Parameters parameters, Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.write(tmp, encode(parameters));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot write model file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads parameters from a file written by {@link #write}. */
  public static Parameters read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot read model file " + file + ": " + e.getMessage(), e);
    }
    try {
      return decode(bytes);
    } catch (FedlinkException e) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, file + ": " + e.getMessage(), e);
    }
  }

  private static FedlinkException invalid(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
