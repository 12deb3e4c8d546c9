package org.fedlink.core.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * The {@code .safetensors} format (an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data), as the {@code
 * safetensors} Python package reads and writes it.
 *
 * <p>Written files hold float32 tensors in parameter order with a {@code __metadata__} entry {@code
 * {"format": "pt"}}. Reading accepts F32, F64, F16, BF16 and integer tensors (converted to float),
 * orders them by their data offset (the writing order), and checks the header length, each shape
 * against its byte range and each range against the file before allocating. Thread-safe
 * (stateless).
 */
public final class SafetensorsFile {
  private static final int MAX_HEADER = 16 * 1024 * 1024;

  private SafetensorsFile() {}

  /** Writes the parameters as a {@code .safetensors} file, atomically. */
  public static void write(Parameters parameters, Path file) {
    ModelFiles.writeAtomically(file, out -> write(parameters, out));
  }

  /** Writes the parameters as {@code .safetensors} to a stream (not closed). */
  public static void write(Parameters parameters, OutputStream out) throws IOException {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Tensor t : parameters.tensors()) {
      long end = offset + 4L * t.size();
      json.append(",")
          .append(Json.quote(t.name()))
          .append(":{\"dtype\":\"F32\",\"shape\":")
          .append(Arrays.toString(t.shape()).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(offset)
          .append(",")
          .append(end)
          .append("]}");
      offset = end;
    }
    json.append("}");
    byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    byte[] header = Arrays.copyOf(h, padded);
    Arrays.fill(header, h.length, padded, (byte) ' ');
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
    out.write(len.array());
    out.write(header);
    for (Tensor t : parameters.tensors()) {
      ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(t.data());
      out.write(b.array());
    }
  }

  /**
   * Reads every tensor of a {@code .safetensors} file as float, in the order of their data.
   *
   * @param maxBytes most bytes of tensor data the file may hold
   * @throws FedlinkException INVALID_ARGUMENT naming the file and what is wrong; NOT_FOUND if it
   *     cannot be read
   */
  public static Parameters read(Path file, long maxBytes) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lb, 0, file);
      long headerLen = lb.flip().getLong();
      if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > fileSize - 8) {
        throw bad(
            file,
            "declares a header of "
                + headerLen
                + " bytes in a file of "
                + fileSize
                + " bytes; not a .safetensors file");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      readFully(ch, hb, 8, file);
      Object parsed;
      try {
        parsed = Json.parse(new String(hb.array(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw bad(file, "header is not valid JSON: " + e.getMessage());
      }
      if (!(parsed instanceof java.util.Map<?, ?> map)) {
        throw bad(file, "header is not a JSON object");
      }
      long dataStart = 8 + headerLen;
      long dataSize = fileSize - dataStart;
      if (dataSize > maxBytes * 2) {
        throw bad(file, "holds " + dataSize + " bytes of tensors, more than the limit " + maxBytes);
      }
      List<Entry> entries = new ArrayList<>();
      for (var e : map.entrySet()) {
        String name = (String) e.getKey();
        if ("__metadata__".equals(name)) {
          continue;
        }
        entries.add(entry(file, name, e.getValue(), dataSize));
      }
      entries.sort(Comparator.comparingLong(Entry::begin));
      long total = 0;
      long expected = 0;
      for (Entry en : entries) {
        if (en.begin != expected) {
          throw bad(file, "tensor '" + en.name + "' does not start where the previous one ends");
        }
        expected = en.end;
        total += 4L * en.count;
        if (total > maxBytes) {
          throw bad(file, "tensors pass the limit of " + maxBytes + " bytes");
        }
      }
      if (expected != dataSize) {
        throw bad(file, (dataSize - expected) + " bytes after the last tensor");
      }
      List<Tensor> tensors = new ArrayList<>();
      for (Entry en : entries) {
        ByteBuffer data = ByteBuffer.allocate((int) (en.end - en.begin));
        readFully(ch, data, dataStart + en.begin, file);
        data.flip().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[(int) en.count];
        for (int i = 0; i < v.length; i++) {
          v[i] = element(data, en.dtype);
          if (!Float.isFinite(v[i])) {
            throw bad(file, "tensor '" + en.name + "' holds a value that is not finite");
          }
        }
        try {
          tensors.add(new Tensor(en.name, en.shape, v));
        } catch (IllegalArgumentException ex) {
          throw bad(file, ex.getMessage());
        }
      }
      if (tensors.isEmpty()) {
        throw bad(file, "holds no tensor");
      }
      return Parameters.of(tensors);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private record Entry(String name, String dtype, int[] shape, long count, long begin, long end) {}

  private static Entry entry(Path file, String name, Object value, long dataSize) {
    if (!(value instanceof java.util.Map<?, ?> m)) {
      throw bad(file, "tensor '" + name + "' is not described by an object");
    }
    Object dtype = m.get("dtype");
    Object shape = m.get("shape");
    Object offsets = m.get("data_offsets");
    if (!(dtype instanceof String d)
        || !(shape instanceof List<?> s)
        || !(offsets instanceof List<?> o)
        || o.size() != 2) {
      throw bad(file, "tensor '" + name + "' lacks dtype, shape or data_offsets");
    }
    int width = width(d);
    if (width == 0) {
      throw bad(
          file,
          "tensor '" + name + "' has dtype " + d + "; supported: F32, F64, F16, BF16, I8-I64, U8");
    }
    if (s.size() > 32) {
      throw bad(file, "tensor '" + name + "' has " + s.size() + " dimensions");
    }
    int[] dims = new int[s.size()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      long dim = number(file, name, s.get(i));
      if (dim < 1 || dim > Integer.MAX_VALUE) {
        throw bad(file, "tensor '" + name + "' has dimension " + dim + " (must be at least 1)");
      }
      dims[i] = (int) dim;
      count *= dim;
      if (count > Integer.MAX_VALUE - 8) {
        throw bad(file, "tensor '" + name + "' is too large");
      }
    }
    long begin = number(file, name, o.get(0));
    long end = number(file, name, o.get(1));
    if (begin < 0 || end > dataSize || end - begin != count * width) {
      throw bad(
          file,
          "tensor '"
              + name
              + "' of shape "
              + Arrays.toString(dims)
              + " and dtype "
              + d
              + " needs "
              + count * width
              + " bytes; its data_offsets ["
              + begin
              + ", "
              + end
              + "] do not fit the "
              + dataSize
              + " bytes of data");
    }
    return new Entry(name, d, dims, count, begin, end);
  }

  private static long number(Path file, String name, Object v) {
    if (v instanceof Long l) {
      return l;
    }
    throw bad(file, "tensor '" + name + "' has a number that is not a whole number");
  }

  private static int width(String dtype) {
    switch (dtype) {
      case "F64":
      case "I64":
        return 8;
      case "F32":
      case "I32":
        return 4;
      case "F16":
      case "BF16":
      case "I16":
        return 2;
      case "I8":
      case "U8":
      case "BOOL":
        return 1;
      default:
        return 0;
    }
  }

  private static float element(ByteBuffer b, String dtype) {
    switch (dtype) {
      case "F64":
        return (float) b.getDouble();
      case "I64":
        return b.getLong();
      case "F32":
        return b.getFloat();
      case "I32":
        return b.getInt();
      case "F16":
        return halfToFloat(b.getShort());
      case "BF16":
        return Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
      case "I16":
        return b.getShort();
      case "I8":
        return b.get();
      default:
        return b.get() & 0xFF;
    }
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | mant << 13);
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file)
      throws IOException {
    long p = pos;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw bad(file, "is truncated");
      }
      p += n;
    }
  }

  private static FedlinkException bad(Path file, String what) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, file + ": " + what);
  }
}
