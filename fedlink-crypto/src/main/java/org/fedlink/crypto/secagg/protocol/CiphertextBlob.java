package org.fedlink.crypto.secagg.protocol;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One node's encrypted update for one round: the Joye-Libert ciphertexts, each in fixed width, with
 * the session and round they were masked for, so a blob sent to the wrong round is named as such
 * rather than only failing decryption.
 *
 * <p>Encoding (big-endian): {@code "FLJC" | 0x01 | len session | session (UTF-8) | round (int32) |
 * width (int32) | count (int32) | count x width bytes}. Immutable; arrays are copied.
 *
 * @param session the setup session id
 * @param round the round the masks belong to
 * @param width bytes per ciphertext: ceil(bits(N^2) / 8)
 * @param ciphertexts the ciphertexts, each in [0, 2^(8 width))
 */
public record CiphertextBlob(String session, int round, int width, BigInteger[] ciphertexts) {
  private static final byte[] MAGIC = {'F', 'L', 'J', 'C'};
  private static final byte VERSION = 1;
  private static final int MAX_WIDTH = 4096;

  public CiphertextBlob {
    Objects.requireNonNull(session, "session");
    ciphertexts = ciphertexts.clone();
    if (width < 1 || width > MAX_WIDTH) {
      throw new IllegalArgumentException("width = " + width + "; allowed 1.." + MAX_WIDTH);
    }
  }

  /** The width in bytes of ciphertexts mod N^2 for a modulus N of {@code modulusBits} bits. */
  public static int widthFor(int modulusBits) {
    return (2 * modulusBits + 7) / 8;
  }

  @Override
  public BigInteger[] ciphertexts() {
    return ciphertexts.clone();
  }

  /**
   * The encoding described in the class comment.
   *
   * @throws IllegalArgumentException if a ciphertext is negative or wider than {@code width}
   */
  public byte[] toBytes() {
    byte[] s = session.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(32 + s.length + width * ciphertexts.length);
    out.writeBytes(MAGIC);
    out.write(VERSION);
    out.writeBytes(ByteBuffer.allocate(4).putInt(s.length).array());
    out.writeBytes(s);
    out.writeBytes(
        ByteBuffer.allocate(12).putInt(round).putInt(width).putInt(ciphertexts.length).array());
    byte[] cell = new byte[width];
    for (int j = 0; j < ciphertexts.length; j++) {
      byte[] b = ciphertexts[j].toByteArray();
      int start = b.length > 1 && b[0] == 0 ? 1 : 0;
      int len = b.length - start;
      if (ciphertexts[j].signum() < 0 || len > width) {
        throw new IllegalArgumentException("ciphertext " + j + " does not fit " + width + " bytes");
      }
      Arrays.fill(cell, (byte) 0);
      System.arraycopy(b, start, cell, width - len, len);
      out.writeBytes(cell);
    }
    return out.toByteArray();
  }

  /**
   * Parses {@link #toBytes()} output.
   *
   * @throws IllegalArgumentException if the magic, version or a length is wrong, or bytes are
   *     missing or left over
   */
  public static CiphertextBlob fromBytes(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < 9 || !Arrays.equals(Arrays.copyOf(bytes, 4), MAGIC)) {
      throw new IllegalArgumentException("not an encrypted update: magic 'FLJC' missing");
    }
    in.position(4);
    if (in.get() != VERSION) {
      throw new IllegalArgumentException("encrypted update of an unknown version");
    }
    int sLen = in.getInt();
    if (sLen < 0 || sLen > 256 || in.remaining() < sLen + 12) {
      throw new IllegalArgumentException("encrypted update is truncated (session)");
    }
    byte[] s = new byte[sLen];
    in.get(s);
    int round = in.getInt();
    int width = in.getInt();
    int count = in.getInt();
    if (width < 1 || width > MAX_WIDTH || count < 0 || (long) count * width != in.remaining()) {
      throw new IllegalArgumentException(
          "encrypted update holds "
              + in.remaining()
              + " bytes for "
              + count
              + " ciphertexts of "
              + width
              + " bytes");
    }
    BigInteger[] c = new BigInteger[count];
    byte[] cell = new byte[width];
    for (int j = 0; j < count; j++) {
      in.get(cell);
      c[j] = new BigInteger(1, cell);
    }
    return new CiphertextBlob(new String(s, StandardCharsets.UTF_8), round, width, c);
  }
}
