package org.fedlink.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Writes the SSH wire encoding (RFC 4251: uint32, string, mpint). Not thread-safe. */
public final class SshWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public SshWriter writeUint32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public SshWriter writeBytes(byte[] b) {
    writeUint32(b.length);
    out.writeBytes(b);
    return this;
  }

  public SshWriter writeString(String s) {
    return writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a non-negative mpint: minimal two's complement, empty for zero. */
  public SshWriter writeMpint(BigInteger v) {
    return writeBytes(v.signum() == 0 ? new byte[0] : v.toByteArray());
  }

  /** Appends bytes without a length prefix. */
  public SshWriter writeRaw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
