package org.fedlink.crypto.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the SSH wire encoding (RFC 4251: uint32, string, mpint) from a byte array.
 *
 * <p>Not thread-safe. Every read checks bounds and throws {@link IllegalArgumentException} with the
 * offset and the lengths involved when the data is truncated; callers turn that into their own
 * checked exception.
 */
public final class SshReader {
  private final byte[] data;
  private int pos;

  public SshReader(byte[] data) {
    this.data = data;
  }

  public int readUint32() {
    require(4);
    int v =
        ((data[pos] & 0xff) << 24)
            | ((data[pos + 1] & 0xff) << 16)
            | ((data[pos + 2] & 0xff) << 8)
            | (data[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public byte[] readBytes() {
    int len = readUint32();
    if (len < 0) {
      throw new IllegalArgumentException("string length " + (len & 0xffffffffL) + " too large");
    }
    require(len);
    byte[] out = Arrays.copyOfRange(data, pos, pos + len);
    pos += len;
    return out;
  }

  public String readString() {
    return new String(readBytes(), StandardCharsets.UTF_8);
  }

  public BigInteger readMpint() {
    byte[] b = readBytes();
    return b.length == 0 ? BigInteger.ZERO : new BigInteger(b);
  }

  /** Returns the bytes not yet read, without consuming them. */
  public byte[] remaining() {
    return Arrays.copyOfRange(data, pos, data.length);
  }

  public boolean hasRemaining() {
    return pos < data.length;
  }

  private void require(int n) {
    if (data.length - pos < n) {
      throw new IllegalArgumentException(
          "truncated: need "
              + n
              + " bytes at offset "
              + pos
              + ", "
              + (data.length - pos)
              + " left");
    }
  }
}
