package org.fedlink.researcher.strategies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Float vectors in a strategy's {@link Strategy#state()} map: Base64 of little-endian floats, cut
 * into entries {@code key.0}, {@code key.1}, ... of at most {@value #CHUNK_FLOATS} floats, so that
 * each value stays far below the checkpoint's 64 KiB limit per string. Stateless.
 */
public final class StateCodec {
  static final int CHUNK_FLOATS = 8192;

  private StateCodec() {}

  /** Writes {@code values} under {@code key} into {@code state}, with its length. */
  public static void putFloats(Map<String, String> state, String key, float[] values) {
    state.put(key + ".length", Integer.toString(values.length));
    for (int c = 0, at = 0; at < values.length; c++, at += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, values.length - at);
      ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        b.putFloat(values[at + i]);
      }
      state.put(key + "." + c, Base64.getEncoder().encodeToString(b.array()));
    }
  }

  /**
   * The vector written under {@code key}, or null if there is none.
   *
   * @throws FedlinkException INVALID_ARGUMENT if the entries are damaged or not of {@code length}
   */
  public static float[] getFloats(Map<String, String> state, String key, long length) {
    String len = state.get(key + ".length");
    if (len == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(len);
      if (n != length) {
        throw bad(key, "holds " + n + " values, the model has " + length);
      }
      float[] out = new float[n];
      for (int c = 0, at = 0; at < n; c++, at += CHUNK_FLOATS) {
        String chunk = state.get(key + "." + c);
        int want = Math.min(CHUNK_FLOATS, n - at);
        if (chunk == null) {
          throw bad(key, "misses part " + c);
        }
        byte[] bytes = Base64.getDecoder().decode(chunk);
        if (bytes.length != want * 4) {
          throw bad(key, "part " + c + " has " + bytes.length + " bytes, expected " + want * 4);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < want; i++) {
          out[at + i] = b.getFloat();
        }
      }
      return out;
    } catch (IllegalArgumentException e) {
      if (e instanceof NumberFormatException) {
        throw bad(key, "has a length that is not a number");
      }
      throw bad(key, "is not Base64");
    }
  }

  /** A double from the state, or {@code dflt} if absent. */
  static double getDouble(Map<String, String> state, String key, double dflt) {
    String v = state.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(key, "'" + v + "' is not a number");
    }
  }

  private static FedlinkException bad(String key, String why) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "strategy state '" + key + "' " + why + "; was the checkpoint written by this strategy?");
  }
}
