package org.fedlink.crypto.masking;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte encodings of the masking schemes' messages (masked vectors, signed keys, sealed shares,
 * revealed shares). Every decoder checks each length against what remains before allocating and
 * throws {@link IllegalArgumentException} naming what is malformed. Stateless.
 */
public final class MaskingCodec {
  private static final int MAGIC = 0x464C4D4B; // "FLMK"
  private static final int MAX_ITEMS = 1 << 16;

  private MaskingCodec() {}

  /** A masked vector and what it belongs to. */
  public record MaskedBlob(String scheme, String session, String roundId, RingVector vector) {}

  public static byte[] encodeMasked(MaskedBlob b) {
    long[] w = b.vector().words();
    ByteBuffer out =
        ByteBuffer.allocate(
            4
                + 3 * 2
                + utf(b.scheme()).length
                + utf(b.session()).length
                + utf(b.roundId()).length
                + 1
                + 4
                + 8 * w.length);
    out.putInt(MAGIC);
    putString(out, b.scheme());
    putString(out, b.session());
    putString(out, b.roundId());
    out.put((byte) b.vector().laneBits());
    out.putInt(b.vector().length());
    out.asLongBuffer().put(w);
    return out.array();
  }

  public static MaskedBlob decodeMasked(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    need(in, 4, "magic");
    if (in.getInt() != MAGIC) {
      throw new IllegalArgumentException("not a masked vector (bad magic)");
    }
    String scheme = getString(in);
    String session = getString(in);
    String round = getString(in);
    need(in, 5, "vector header");
    int lanes = in.get();
    int length = in.getInt();
    int words;
    try {
      words = RingVector.wordsFor(length, lanes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("masked vector: " + e.getMessage());
    }
    if (in.remaining() != 8L * words) {
      throw new IllegalArgumentException(
          "masked vector of "
              + length
              + " lanes needs "
              + 8L * words
              + " bytes; "
              + in.remaining()
              + " remain");
    }
    long[] w = new long[words];
    in.asLongBuffer().get(w);
    return new MaskedBlob(scheme, session, round, new RingVector(w, lanes, length));
  }

  public static byte[] encodeKeys(List<SignedKeys> keys) {
    return write(
        d -> {
          d.writeInt(keys.size());
          for (SignedKeys k : keys) {
            d.writeLong(k.node());
            d.writeUTF(k.component());
            bytes(d, k.keys());
            bytes(d, k.signature());
          }
        });
  }

  public static List<SignedKeys> decodeKeys(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int n = count(in);
    List<SignedKeys> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      need(in, 8, "node id");
      long node = in.getLong();
      String component = getString(in);
      out.add(new SignedKeys(node, component, getBytes(in), getBytes(in)));
    }
    end(in);
    return out;
  }

  public static byte[] encodeShared(SecAggPlusNode.SharedKeys s) {
    return write(
        d -> {
          bytes(d, s.seedCommitment());
          idMap(d, s.sealed());
        });
  }

  public static SecAggPlusNode.SharedKeys decodeShared(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte[] commitment = getBytes(in);
    if (commitment.length != 32) {
      throw new IllegalArgumentException("seed commitment of " + commitment.length + " bytes");
    }
    Map<Long, byte[]> m = idMap(in);
    end(in);
    return new SecAggPlusNode.SharedKeys(commitment, m);
  }

  /** Sealed shares by sender (or by recipient). */
  public static byte[] encodeIdMap(Map<Long, byte[]> m) {
    return write(d -> idMap(d, m));
  }

  public static Map<Long, byte[]> decodeIdMap(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Map<Long, byte[]> m = idMap(in);
    end(in);
    return m;
  }

  public static byte[] encodeReveals(List<SecAggPlusNode.Reveal> reveals) {
    return write(
        d -> {
          d.writeInt(reveals.size());
          for (SecAggPlusNode.Reveal r : reveals) {
            d.writeLong(r.owner());
            d.writeBoolean(r.seed());
            d.writeInt(r.share().x());
            d.writeByte(r.share().values().length);
            for (long v : r.share().values()) {
              d.writeLong(v);
            }
          }
        });
  }

  public static List<SecAggPlusNode.Reveal> decodeReveals(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int n = count(in);
    List<SecAggPlusNode.Reveal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      need(in, 14, "revealed share");
      long owner = in.getLong();
      boolean seed = in.get() != 0;
      int x = in.getInt();
      int chunks = in.get();
      if (chunks < 1 || chunks > 16) {
        throw new IllegalArgumentException("revealed share of " + chunks + " chunks");
      }
      need(in, 8 * chunks, "share values");
      long[] v = new long[chunks];
      for (int c = 0; c < chunks; c++) {
        v[c] = in.getLong();
      }
      out.add(new SecAggPlusNode.Reveal(owner, seed, new Shamir.Share(x, v)));
    }
    end(in);
    return out;
  }

  private interface Body {
    void write(DataOutputStream d) throws IOException;
  }

  private static byte[] write(Body b) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(bytes)) {
      b.write(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void bytes(DataOutputStream d, byte[] b) throws IOException {
    d.writeInt(b.length);
    d.write(b);
  }

  private static void idMap(DataOutputStream d, Map<Long, byte[]> m) throws IOException {
    d.writeInt(m.size());
    for (Map.Entry<Long, byte[]> e : m.entrySet()) {
      d.writeLong(e.getKey());
      bytes(d, e.getValue());
    }
  }

  private static Map<Long, byte[]> idMap(ByteBuffer in) {
    int n = count(in);
    Map<Long, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      need(in, 8, "node id");
      long id = in.getLong();
      if (m.put(id, getBytes(in)) != null) {
        throw new IllegalArgumentException("node " + id + " appears twice");
      }
    }
    return m;
  }

  private static int count(ByteBuffer in) {
    need(in, 4, "count");
    int n = in.getInt();
    if (n < 0 || n > MAX_ITEMS) {
      throw new IllegalArgumentException("item count " + n + "; allowed 0.." + MAX_ITEMS);
    }
    return n;
  }

  private static byte[] getBytes(ByteBuffer in) {
    need(in, 4, "length");
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("field of " + n + " bytes; " + in.remaining() + " remain");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private static void putString(ByteBuffer out, String s) {
    byte[] b = utf(s);
    out.putShort((short) b.length);
    out.put(b);
  }

  private static String getString(ByteBuffer in) {
    need(in, 2, "string length");
    int n = Short.toUnsignedInt(in.getShort());
    need(in, n, "string");
    byte[] b = new byte[n];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] utf(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException("string of " + b.length + " bytes is too long");
    }
    return b;
  }

  private static void need(ByteBuffer in, int n, String what) {
    if (in.remaining() < n) {
      throw new IllegalArgumentException(
          "truncated " + what + ": " + n + " bytes needed, " + in.remaining() + " remain");
    }
  }

  private static void end(ByteBuffer in) {
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " trailing bytes");
    }
  }
}
