package org.fedlink.crypto.masking;

import java.util.Arrays;

/**
 * A vector over the ring Z_(2^b), b = 32 or 64: the form in which masked updates travel and are
 * summed. Values are packed into 64-bit words (two 32-bit lanes per word when b = 32, lane 0 in the
 * low half), so masking and summing touch memory once per 8 bytes whatever the lane width; lanes
 * add without carrying into each other. Mutable; not thread-safe.
 */
public final class RingVector {
  private static final long HIGH32 = 0x8000_0000_8000_0000L;

  private final long[] words;
  private final int laneBits;
  private final int length;

  /**
   * A zero vector of {@code length} lanes of {@code laneBits} bits.
   *
   * @throws IllegalArgumentException if laneBits is not 32 or 64 or length is negative
   */
  public RingVector(int length, int laneBits) {
    this(new long[wordsFor(length, laneBits)], laneBits, length);
  }

  /** Wraps {@code words} (not copied), checked to hold exactly {@code length} lanes. */
  public RingVector(long[] words, int laneBits, int length) {
    if (words.length != wordsFor(length, laneBits)) {
      throw new IllegalArgumentException(
          words.length
              + " words cannot hold exactly "
              + length
              + " lanes of "
              + laneBits
              + " bits");
    }
    this.words = words;
    this.laneBits = laneBits;
    this.length = length;
  }

  /** Words needed for {@code length} lanes of {@code laneBits}. */
  public static int wordsFor(int length, int laneBits) {
    if (laneBits != 32 && laneBits != 64) {
      throw new IllegalArgumentException("lane bits " + laneBits + "; allowed 32 or 64");
    }
    if (length < 0) {
      throw new IllegalArgumentException("length " + length + " must not be negative");
    }
    return laneBits == 64 ? length : (int) ((length + 1L) / 2);
  }

  public int length() {
    return length;
  }

  public int laneBits() {
    return laneBits;
  }

  /** The packed words, shared with this vector (not a copy). */
  public long[] words() {
    return words;
  }

  /** Lane {@code i} read as a signed two's-complement value of laneBits bits. */
  public long signed(int i) {
    if (laneBits == 64) {
      return words[i];
    }
    return (int) (words[i >>> 1] >>> ((i & 1) * 32));
  }

  /** Sets lane {@code i} to {@code value} mod 2^laneBits. */
  public void set(int i, long value) {
    if (laneBits == 64) {
      words[i] = value;
      return;
    }
    int shift = (i & 1) * 32;
    long mask = 0xFFFF_FFFFL << shift;
    words[i >>> 1] = (words[i >>> 1] & ~mask) | ((value & 0xFFFF_FFFFL) << shift);
  }

  /** this += other, lane by lane mod 2^laneBits. */
  public void add(RingVector other) {
    requireSameShape(other);
    addWords(words, 0, other.words, 0, words.length, laneBits, false);
  }

  /** this -= other, lane by lane mod 2^laneBits. */
  public void subtract(RingVector other) {
    requireSameShape(other);
    addWords(words, 0, other.words, 0, words.length, laneBits, true);
  }

  public RingVector copy() {
    return new RingVector(words.clone(), laneBits, length);
  }

  private void requireSameShape(RingVector other) {
    if (other.laneBits != laneBits || other.length != length) {
      throw new IllegalArgumentException(
          "vector of "
              + other.length
              + " x "
              + other.laneBits
              + " bits does not match "
              + length
              + " x "
              + laneBits);
    }
  }

  /** Adds one 64-bit word lane-wise (two independent 32-bit lanes when laneBits is 32). */
  static long addLanes(long a, long b, int laneBits) {
    if (laneBits == 64) {
      return a + b;
    }
    return ((a & ~HIGH32) + (b & ~HIGH32)) ^ ((a ^ b) & HIGH32);
  }

  /** Subtracts one 64-bit word lane-wise. */
  static long subtractLanes(long a, long b, int laneBits) {
    if (laneBits == 64) {
      return a - b;
    }
    return ((a | HIGH32) - (b & ~HIGH32)) ^ ((a ^ ~b) & HIGH32);
  }

  static void addWords(
      long[] target, int at, long[] src, int from, int count, int laneBits, boolean negate) {
    if (laneBits == 64) {
      if (negate) {
        for (int k = 0; k < count; k++) {
          target[at + k] -= src[from + k];
        }
      } else {
        for (int k = 0; k < count; k++) {
          target[at + k] += src[from + k];
        }
      }
    } else if (negate) {
      for (int k = 0; k < count; k++) {
        target[at + k] = subtractLanes(target[at + k], src[from + k], 32);
      }
    } else {
      for (int k = 0; k < count; k++) {
        target[at + k] = addLanes(target[at + k], src[from + k], 32);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RingVector v
        && v.laneBits == laneBits
        && v.length == length
        && Arrays.equals(v.words, words);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words) * 31 + laneBits;
  }

  @Override
  public String toString() {
    return "RingVector[" + length + " x " + laneBits + " bits]";
  }
}
