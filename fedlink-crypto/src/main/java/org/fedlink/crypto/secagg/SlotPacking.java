package org.fedlink.crypto.secagg;

import java.math.BigInteger;

/** Packs non-negative slot values of a fixed bit width into an integer and back. Stateless. */
final class SlotPacking {
  private SlotPacking() {}

  /** The integer sum over k of slots[from + k] * 2^(k * slotBits), k in [0, count). */
  static BigInteger pack(long[] slots, int from, int count, int slotBits) {
    long[] words = new long[(count * slotBits + 63) >>> 6];
    for (int k = 0; k < count; k++) {
      long v = slots[from + k];
      int bit = k * slotBits;
      int w = bit >>> 6;
      int s = bit & 63;
      words[w] |= v << s;
      if (s + slotBits > 64) {
        words[w + 1] |= v >>> (64 - s);
      }
    }
    byte[] bytes = new byte[words.length * 8];
    for (int i = 0; i < words.length; i++) {
      long word = words[words.length - 1 - i];
      for (int b = 0; b < 8; b++) {
        bytes[i * 8 + b] = (byte) (word >>> (56 - 8 * b));
      }
    }
    return new BigInteger(1, bytes);
  }

  /**
   * Writes the {@code count} slots of {@code value} into out[from ..]; {@code value} must be
   * non-negative and below 2^(count * slotBits).
   */
  static void unpack(BigInteger value, int count, int slotBits, long[] out, int from) {
    byte[] raw = value.toByteArray();
    long[] words = new long[(count * slotBits + 63) >>> 6];
    for (int i = 0; i < raw.length && (i >>> 3) < words.length; i++) {
      words[i >>> 3] |= (raw[raw.length - 1 - i] & 0xffL) << (8 * (i & 7));
    }
    long mask = (1L << slotBits) - 1;
    for (int k = 0; k < count; k++) {
      int bit = k * slotBits;
      int w = bit >>> 6;
      int s = bit & 63;
      long v = words[w] >>> s;
      if (s + slotBits > 64) {
        v |= words[w + 1] << (64 - s);
      }
      out[from + k] = v & mask;
    }
  }
}
