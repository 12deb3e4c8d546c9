package org.fedlink.transport;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;

/**
 * The bytes a request token covers: the deterministic protobuf serialization of the request (map
 * entries sorted by key), so the client that signs and the server that re-serializes the parsed
 * request obtain the same bytes. Stateless and thread-safe.
 */
public final class SignedBytes {
  private SignedBytes() {}

  /**
   * Returns the deterministic serialization of a request message.
   *
   * @param message a protobuf message (every Fedlink request is one)
   * @throws IllegalArgumentException if {@code message} is not a protobuf message
   */
  public static byte[] of(Object message) {
    if (!(message instanceof MessageLite m)) {
      throw new IllegalArgumentException(
          "only protobuf requests can be signed, got "
              + (message == null ? "null" : message.getClass().getName()));
    }
    byte[] out = new byte[m.getSerializedSize()];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.useDeterministicSerialization();
    try {
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("serializing to an array of the exact size failed", e);
    }
    return out;
  }
}
