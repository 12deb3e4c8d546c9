package org.fedlink.ml.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlink.ml.Dataset;

/**
 * The frames a SuperNode and its plan worker exchange over the worker's standard input and output.
 *
 * <p>A frame is a 4-byte big-endian length {@code n} followed by {@code n} bytes: one type byte,
 * then the body. Inside a body, integers and floating-point numbers are little-endian; a byte
 * string is an int32 length and the bytes; a string is a byte string of UTF-8; a map is an int32
 * count and that many key/value pairs.
 *
 * <pre>
 *   node -> worker                            worker -> node
 *   LOAD     string jar                       OK  string className
 *   TRAIN    bytes global, dataset, map args  OK  bytes parameters, int64 examples, map metrics
 *   EVALUATE bytes parameters, dataset        OK  float64 loss, float64 accuracy, int64 count
 *                                             ERROR string type, string message
 *   dataset: int32 rows, int32 cols, rows*cols float32, rows int32
 * </pre>
 *
 * Every length read is checked against what is left before anything is allocated: the node reads a
 * worker's frames as it reads any other party's bytes. Stateless.
 */
public final class WorkerWire {
  /** Request: load the plan of a JAR. */
  public static final byte LOAD = 1;

  /** Request: train. */
  public static final byte TRAIN = 2;

  /** Request: evaluate. */
  public static final byte EVALUATE = 3;

  /** Reply: the request succeeded. */
  public static final byte OK = 0;

  /** Reply: the request failed in the plan. */
  public static final byte ERROR = 127;

  /** Longest error message a worker may send; longer ones are cut. */
  public static final int MAX_MESSAGE_CHARS = 2000;

  private WorkerWire() {}

  /** One frame: its type byte and its body. */
  public record Frame(byte type, ByteBuffer body) {}

  /** Writes one frame and flushes. */
  public static void write(DataOutputStream out, byte type, byte[] body) throws IOException {
    out.writeInt(body.length + 1);
    out.writeByte(type);
    out.write(body);
    out.flush();
  }

  /**
   * Reads one frame of at most {@code maxBytes}.
   *
   * @throws EOFException if the stream ends before or inside the frame
   * @throws WorkerProtocolException if the announced length is out of bounds
   */
  public static Frame read(DataInputStream in, int maxBytes) throws IOException {
    int n = in.readInt();
    if (n < 1 || n > maxBytes) {
      throw new WorkerProtocolException(
          "a frame of " + n + " bytes is outside 1.." + maxBytes + " bytes");
    }
    byte type = in.readByte();
    byte[] body = new byte[n - 1];
    in.readFully(body);
    return new Frame(type, ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** Builds a frame body. Not thread-safe. */
  public static final class Body {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    private ByteBuffer room(long n) {
      if (buf.remaining() < n) {
        long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
        if (want > Integer.MAX_VALUE - 16) {
          throw new IllegalArgumentException("frame over 2 GiB");
        }
        ByteBuffer bigger = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
      return buf;
    }

    public Body putInt(int v) {
      room(4).putInt(v);
      return this;
    }

    public Body putLong(long v) {
      room(8).putLong(v);
      return this;
    }

    public Body putDouble(double v) {
      room(8).putDouble(v);
      return this;
    }

    public Body putBytes(byte[] b) {
      room(4L + b.length).putInt(b.length).put(b);
      return this;
    }

    public Body putString(String s) {
      return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public Body putStrings(Map<String, String> m) {
      putInt(m.size());
      m.forEach((k, v) -> putString(k).putString(v));
      return this;
    }

    public Body putDoubles(Map<String, Double> m) {
      putInt(m.size());
      m.forEach((k, v) -> putString(k).putDouble(v));
      return this;
    }

    public Body putDataset(Dataset d) {
      putInt(d.rows()).putInt(d.cols());
      room(4L * d.x().length + 4L * d.y().length);
      buf.asFloatBuffer().put(d.x());
      buf.position(buf.position() + 4 * d.x().length);
      buf.asIntBuffer().put(d.y());
      buf.position(buf.position() + 4 * d.y().length);
      return this;
    }

    /** The bytes written so far. */
    public byte[] toBytes() {
      byte[] out = new byte[buf.position()];
      buf.duplicate().flip().get(out);
      return out;
    }
  }

  /** Reads a body written by {@link Body}; every length is checked against what is left. */
  public static final class Reader {
    private final ByteBuffer buf;

    public Reader(ByteBuffer body) {
      this.buf = body;
    }

    public int getInt() {
      return need(4).getInt();
    }

    public long getLong() {
      return need(8).getLong();
    }

    public double getDouble() {
      return need(8).getDouble();
    }

    public byte[] getBytes() {
      int n = getInt();
      if (n < 0) {
        throw new WorkerProtocolException("negative length " + n);
      }
      need(n);
      byte[] b = new byte[n];
      buf.get(b);
      return b;
    }

    public String getString() {
      return new String(getBytes(), StandardCharsets.UTF_8);
    }

    public Map<String, String> getStrings() {
      int n = count(8);
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put(getString(), getString());
      }
      return m;
    }

    public Map<String, Double> getDoubles() {
      int n = count(12);
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put(getString(), getDouble());
      }
      return m;
    }

    public Dataset getDataset() {
      int rows = getInt();
      int cols = getInt();
      if (rows < 0 || cols < 1 || (long) rows * cols + rows > buf.remaining() / 4) {
        throw new WorkerProtocolException(
            "a dataset of "
                + rows
                + " x "
                + cols
                + " does not fit in "
                + buf.remaining()
                + " bytes");
      }
      float[] x = new float[rows * cols];
      int[] y = new int[rows];
      buf.asFloatBuffer().get(x);
      buf.position(buf.position() + 4 * x.length);
      buf.asIntBuffer().get(y);
      buf.position(buf.position() + 4 * y.length);
      return new Dataset(x, y, rows, cols);
    }

    /** Fails unless the whole body was read. */
    public void end() {
      if (buf.hasRemaining()) {
        throw new WorkerProtocolException(buf.remaining() + " unexpected bytes at the end");
      }
    }

    private int count(int minBytesEach) {
      int n = getInt();
      if (n < 0 || (long) n * minBytesEach > buf.remaining()) {
        throw new WorkerProtocolException(
            "a count of " + n + " does not fit in " + buf.remaining() + " bytes");
      }
      return n;
    }

    private ByteBuffer need(int n) {
      if (buf.remaining() < n) {
        throw new WorkerProtocolException(
            "needs " + n + " more bytes, " + buf.remaining() + " left",
            new BufferUnderflowException());
      }
      return buf;
    }
  }
}
