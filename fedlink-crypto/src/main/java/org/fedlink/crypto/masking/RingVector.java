package org.fedlink.crypto.masking;

import java.util.Arrays;

/**
 * The form in which masked updates travel and are summed: lanes of b = 32 or 64 bits packed into
 * 64-bit words (two 32-bit lanes per word when b = 32, lane 0 in the low half). Words are added and
 * masked as elements of Z_(2^64), one machine add per 8 bytes whatever the lane width: a uniform
 * 64-bit mask hides both lanes of a word, and the masks cancel in the sum exactly. Lanes do not
 * wrap into each other because their encoding ({@link FixedPoint}) keeps every lane and every sum
 * of lanes non-negative and below 2^b. Mutable; not thread-safe.
 */
public final class RingVector {
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

  /** Lane {@code i}: the word itself for 64-bit lanes, the unsigned 32-bit half otherwise. */
  public long lane(int i) {
    if (laneBits == 64) {
      return words[i];
    }
    return (words[i >>> 1] >>> ((i & 1) * 32)) & 0xFFFF_FFFFL;
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

  /** this += other, word by word mod 2^64. */
  public void add(RingVector other) {
    requireSameShape(other);
    for (int k = 0; k < words.length; k++) {
      words[k] += other.words[k];
    }
  }

  /** this -= other, word by word mod 2^64. */
  public void subtract(RingVector other) {
    requireSameShape(other);
    for (int k = 0; k < words.length; k++) {
      words[k] -= other.words[k];
    }
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
