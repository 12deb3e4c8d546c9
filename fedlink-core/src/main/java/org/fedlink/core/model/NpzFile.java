package org.fedlink.core.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * NumPy's {@code .npz} archives (a zip of {@code .npy} arrays, as {@code numpy.savez} writes and
 * {@code numpy.load} reads) for models and data sets.
 *
 * <p>Written archives hold one {@code <name>.npy} per tensor, little-endian float32 in C order,
 * deflated, with a fixed time stamp so equal models give equal bytes. Reading accepts float32,
 * float64 and integer arrays of either byte order (converted to float), in C order.
 *
 * <p>Reading trusts nothing in the file: the number of entries, each entry's declared size, each
 * array's header (its dtype, shape and byte count must agree with the entry's size) and the total
 * are checked against the limit <em>before</em> anything of that size is allocated, and an entry
 * whose data runs past its declared size is refused. Thread-safe (stateless).
 */
public final class NpzFile {
  /** Most entries an archive may hold. */
  public static final int MAX_ENTRIES = 10_000;

  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int MAX_HEADER = 64 * 1024;
  private static final long FIXED_TIME = 315_532_800_000L; // 1980-01-01, the zip epoch
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpzFile() {}

  /** Writes the parameters as an {@code .npz} archive, atomically. */
  public static void write(Parameters parameters, Path file) {
    ModelFiles.writeAtomically(file, out -> write(parameters, out));
  }

  /** Writes the parameters as an {@code .npz} archive to a stream (not closed). */
  public static void write(Parameters parameters, OutputStream stream) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(stream);
    for (Tensor t : parameters.tensors()) {
      ZipEntry e = new ZipEntry(t.name() + ".npy");
      e.setTime(FIXED_TIME);
      zip.putNextEntry(e);
      zip.write(npy(t.shape(), t.data()));
      zip.closeEntry();
    }
    zip.finish();
  }

  /** The {@code .npy} bytes (format 1.0) of a float32 array. */
  static byte[] npy(int[] shape, float[] data) {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String s = dims.toString();
    if (shape.length > 1) {
      s = s.substring(0, s.length() - 2);
    } else if (shape.length == 1) {
      s = s.substring(0, s.length() - 1);
    }
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + s + "), }";
    int unpadded = NPY_MAGIC.length + 2 + 2 + header.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b =
        ByteBuffer.allocate(NPY_MAGIC.length + 4 + h.length + 4 * data.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
    b.asFloatBuffer().put(data);
    return b.array();
  }

  /**
   * Reads every array of an archive as a float tensor named by its entry (without {@code .npy}), in
   * archive order.
   *
   * @param maxBytes most bytes of array data the archive may hold in all
   * @throws FedlinkException INVALID_ARGUMENT naming the file, the entry and what is wrong;
   *     NOT_FOUND if the file cannot be read
   */
  public static Parameters read(Path file, long maxBytes) {
    List<Tensor> tensors = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.size() > MAX_ENTRIES) {
        throw bad(file, "holds " + zip.size() + " entries, at most " + MAX_ENTRIES + " allowed");
      }
      long total = 0;
      Set<String> names = new HashSet<>();
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        String entry = e.getName();
        if (!entry.endsWith(".npy") || entry.length() == 4) {
          throw bad(file, "entry '" + entry + "' is not a .npy array");
        }
        String name = entry.substring(0, entry.length() - 4);
        if (!names.add(name)) {
          throw bad(file, "array '" + name + "' appears twice");
        }
        long size = e.getSize();
        if (size < 0 || size > maxBytes - total + MAX_HEADER) {
          throw bad(
              file,
              "entry '"
                  + entry
                  + "' declares "
                  + size
                  + " bytes, more than the limit of "
                  + maxBytes
                  + " bytes of arrays");
        }
        try (InputStream in = zip.getInputStream(e)) {
          Tensor t = readNpy(file, name, in, size, maxBytes - total);
          total += 4L * t.size();
          tensors.add(t);
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
    } catch (ZipException | IllegalArgumentException e) {
      throw bad(file, "not a readable .npz (zip) archive: " + e.getMessage());
    } catch (IOException e) {
      if (!Files.isReadable(file)) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
      }
      throw bad(file, "not a readable .npz (zip) archive: " + e.getMessage());
    }
    if (tensors.isEmpty()) {
      throw bad(file, "holds no array");
    }
    return Parameters.of(tensors);
  }

  /** An {@code .npy} array read from a stream of exactly {@code size} bytes. */
  private static Tensor readNpy(Path file, String name, InputStream in, long size, long budget)
      throws IOException {
    byte[] pre = in.readNBytes(10);
    if (pre.length < 10 || !Arrays.equals(Arrays.copyOf(pre, 6), NPY_MAGIC)) {
      throw bad(file, "array '" + name + "' is not in .npy format (bad magic)");
    }
    int major = pre[6] & 0xFF;
    int headerLen;
    int prefix;
    if (major == 1) {
      headerLen = (pre[8] & 0xFF) | (pre[9] & 0xFF) << 8;
      prefix = 10;
    } else if (major == 2 || major == 3) {
      byte[] more = in.readNBytes(2);
      if (more.length < 2) {
        throw bad(file, "array '" + name + "' is truncated");
      }
      long len =
          (pre[8] & 0xFFL)
              | (pre[9] & 0xFFL) << 8
              | (more[0] & 0xFFL) << 16
              | (more[1] & 0xFFL) << 24;
      if (len > MAX_HEADER) {
        throw bad(file, "array '" + name + "' has a header of " + len + " bytes");
      }
      headerLen = (int) len;
      prefix = 12;
    } else {
      throw bad(file, "array '" + name + "' uses .npy format version " + major + " (want 1-3)");
    }
    byte[] hb = in.readNBytes(headerLen);
    if (hb.length < headerLen) {
      throw bad(file, "array '" + name + "' is truncated in its header");
    }
    String header = new String(hb, StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw bad(file, "array '" + name + "' has an unreadable header " + printable(header));
    }
    if ("True".equals(f.group(1))) {
      throw bad(file, "array '" + name + "' is in Fortran order; save it with C order");
    }
    char order = d.group(1).charAt(0);
    char kind = d.group(2).charAt(0);
    int width = Integer.parseInt(d.group(3));
    String dtype = d.group(1) + d.group(2) + d.group(3);
    boolean ok =
        (kind == 'f' && (width == 4 || width == 8))
            || ((kind == 'i' || kind == 'u')
                && (width == 1 || width == 2 || width == 4 || width == 8))
            || (kind == 'b' && width == 1);
    if (!ok) {
      throw bad(
          file,
          "array '"
              + name
              + "' has dtype "
              + dtype
              + "; supported: float32, float64, integers, bool");
    }
    int[] shape = parseShape(file, name, s.group(1));
    long count = 1;
    for (int dim : shape) {
      count *= dim;
      if (count > Integer.MAX_VALUE - 8) {
        throw bad(file, "array '" + name + "' has shape " + Arrays.toString(shape) + ": too large");
      }
    }
    long dataBytes = count * width;
    if (prefix + headerLen + dataBytes != size) {
      throw bad(
          file,
          "array '"
              + name
              + "' of shape "
              + Arrays.toString(shape)
              + " and dtype "
              + dtype
              + " needs "
              + dataBytes
              + " bytes, its entry holds "
              + (size - prefix - headerLen));
    }
    if (4 * count > budget) {
      throw bad(
          file, "array '" + name + "' passes the limit of " + budget + " bytes of arrays left");
    }
    ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    float[] out = new float[(int) count];
    byte[] chunk = new byte[Math.max(width, (1 << 16) / width * width)];
    int done = 0;
    while (done < count) {
      int want = (int) Math.min(chunk.length, (count - done) * width);
      int got = in.readNBytes(chunk, 0, want);
      if (got < want) {
        throw bad(file, "array '" + name + "' is truncated");
      }
      ByteBuffer b = ByteBuffer.wrap(chunk, 0, got).order(bo);
      for (int i = 0; i < got / width; i++) {
        out[done++] = element(b, kind, width);
      }
    }
    if (in.read() != -1) {
      throw bad(file, "array '" + name + "' holds more bytes than its entry declares");
    }
    for (float v : out) {
      if (!Float.isFinite(v)) {
        throw bad(file, "array '" + name + "' holds a value that is not finite");
      }
    }
    try {
      return new Tensor(name, shape, out);
    } catch (IllegalArgumentException e) {
      throw bad(file, e.getMessage());
    }
  }

  private static float element(ByteBuffer b, char kind, int width) {
    if (kind == 'f') {
      return width == 4 ? b.getFloat() : (float) b.getDouble();
    }
    boolean unsigned = kind == 'u' || kind == 'b';
    switch (width) {
      case 1:
        return unsigned ? b.get() & 0xFF : b.get();
      case 2:
        return unsigned ? b.getShort() & 0xFFFF : b.getShort();
      case 4:
        return unsigned ? b.getInt() & 0xFFFFFFFFL : b.getInt();
      default:
        long v = b.getLong();
        return unsigned && v < 0 ? (float) (v >>> 1) * 2f : (float) v;
    }
  }

  private static int[] parseShape(Path file, String name, String text) {
    String[] parts = text.split(",");
    List<Integer> dims = new ArrayList<>();
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        if (v < 1 || v > Integer.MAX_VALUE) {
          throw bad(file, "array '" + name + "' has dimension " + v + " (must be at least 1)");
        }
        dims.add((int) v);
      } catch (NumberFormatException e) {
        throw bad(file, "array '" + name + "' has an unreadable shape (" + printable(text) + ")");
      }
    }
    if (dims.size() > 32) {
      throw bad(file, "array '" + name + "' has " + dims.size() + " dimensions");
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String printable(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?").trim();
  }

  private static FedlinkException bad(Path file, String what) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, file + ": " + what);
  }

  /** The bytes of {@link #write(Parameters, OutputStream)}. */
  public static byte[] encode(Parameters parameters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(parameters, out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
