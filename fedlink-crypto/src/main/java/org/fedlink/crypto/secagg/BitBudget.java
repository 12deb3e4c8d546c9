package org.fedlink.crypto.secagg;

import java.security.InvalidAlgorithmParameterException;

/**
 * How many quantized values fit in one Joye-Libert plaintext without any possibility of overflow,
 * checked before any data is encrypted.
 *
 * <p>A node sends w * q per value, with q in [0, 2^valueBits - 1] (see {@link VectorEncoder}) and
 * its weight w in [1, maxWeight]. The sum over at most numNodes nodes is below numNodes * maxWeight
 * * 2^valueBits, so it fits in
 *
 * <pre>
 *   slotBits = valueBits + bitLength(maxWeight) + bitLength(numNodes)
 * </pre>
 *
 * bits and can never carry into the next slot. A plaintext holds
 *
 * <pre>
 *   slotsPerPlaintext = floor((modulusBits - 1) / slotBits)
 * </pre>
 *
 * slots, so every plaintext and every sum of plaintexts stays below 2^(modulusBits - 1) <= N and
 * never wraps mod N. The top slot of each plaintext is the {@link Guard} slot, the others carry
 * data: {@code dataSlotsPerPlaintext = slotsPerPlaintext - 1}.
 *
 * <p>Example: N of 1024 bits, valueBits 16, maxWeight 2^20 - 1 (bitLength 20), 10 nodes (bitLength
 * 4): slotBits 40, 25 slots, 24 values per ciphertext. With N of 2048 bits: 51 slots, 50 values per
 * ciphertext.
 *
 * <p>Immutable and thread-safe.
 */
public final class BitBudget {
  /** Quantization bits below this are useless, above this a slot no longer fits a long. */
  public static final int MIN_VALUE_BITS = 2;

  /** See {@link #MIN_VALUE_BITS}. */
  public static final int MAX_VALUE_BITS = 32;

  /** A slot sum must fit in a non-negative long with a bit to spare. */
  public static final int MAX_SLOT_BITS = 62;

  private final int modulusBits;
  private final double clippingRange;
  private final int valueBits;
  private final long maxWeight;
  private final int numNodes;
  private final int slotBits;
  private final int slotsPerPlaintext;

  private BitBudget(
      int modulusBits, double clippingRange, int valueBits, long maxWeight, int numNodes) {
    this.modulusBits = modulusBits;
    this.clippingRange = clippingRange;
    this.valueBits = valueBits;
    this.maxWeight = maxWeight;
    this.numNodes = numNodes;
    this.slotBits = valueBits + bitLength(maxWeight) + bitLength(numNodes);
    this.slotsPerPlaintext = (modulusBits - 1) / slotBits;
  }

  /**
   * Validates a configuration and computes its layout.
   *
   * @param modulusBits the bit length of N
   * @param clippingRange R: values are clipped to [-R, R]; finite and > 0
   * @param valueBits quantization bits per value, in [{@value #MIN_VALUE_BITS}, {@value
   *     #MAX_VALUE_BITS}]
   * @param maxWeight the largest weight (sample count) any node may use, >= 1
   * @param numNodes the number of nodes whose updates are summed, >= 2
   * @throws InvalidAlgorithmParameterException naming the offending numbers if any parameter is out
   *     of range, a slot would exceed {@value #MAX_SLOT_BITS} bits, or fewer than two slots (one
   *     data slot and the guard) fit in a plaintext
   */
  public static BitBudget of(
      int modulusBits, double clippingRange, int valueBits, long maxWeight, int numNodes)
      throws InvalidAlgorithmParameterException {
    if (!(clippingRange > 0) || Double.isInfinite(clippingRange)) {
      throw new InvalidAlgorithmParameterException(
          "clippingRange = " + clippingRange + "; must be finite and > 0");
    }
    if (valueBits < MIN_VALUE_BITS || valueBits > MAX_VALUE_BITS) {
      throw new InvalidAlgorithmParameterException(
          "valueBits = " + valueBits + "; allowed " + MIN_VALUE_BITS + ".." + MAX_VALUE_BITS);
    }
    if (maxWeight < 1) {
      throw new InvalidAlgorithmParameterException("maxWeight = " + maxWeight + "; must be >= 1");
    }
    if (numNodes < 2) {
      throw new InvalidAlgorithmParameterException(
          "numNodes = "
              + numNodes
              + "; secure aggregation needs >= 2 (one node's sum is its"
              + " update)");
    }
    BitBudget b = new BitBudget(modulusBits, clippingRange, valueBits, maxWeight, numNodes);
    if (b.slotBits > MAX_SLOT_BITS) {
      throw new InvalidAlgorithmParameterException(
          "slot of "
              + b.slotBits
              + " bits (valueBits "
              + valueBits
              + " + bitLength(maxWeight "
              + maxWeight
              + ") "
              + bitLength(maxWeight)
              + " + bitLength(numNodes "
              + numNodes
              + ") "
              + bitLength(numNodes)
              + ") exceeds "
              + MAX_SLOT_BITS
              + "; lower valueBits or maxWeight");
    }
    if (b.slotsPerPlaintext < 2) {
      throw new InvalidAlgorithmParameterException(
          "N of "
              + modulusBits
              + " bits holds "
              + b.slotsPerPlaintext
              + " slot(s) of "
              + b.slotBits
              + " bits; at least 2 are needed (data + guard): use a larger N");
    }
    return b;
  }

  private static int bitLength(long v) {
    return 64 - Long.numberOfLeadingZeros(v);
  }

  public int modulusBits() {
    return modulusBits;
  }

  public double clippingRange() {
    return clippingRange;
  }

  public int valueBits() {
    return valueBits;
  }

  public long maxWeight() {
    return maxWeight;
  }

  public int numNodes() {
    return numNodes;
  }

  /** Bits per slot: valueBits + bitLength(maxWeight) + bitLength(numNodes). */
  public int slotBits() {
    return slotBits;
  }

  /** floor((modulusBits - 1) / slotBits), guard slot included. */
  public int slotsPerPlaintext() {
    return slotsPerPlaintext;
  }

  /** Values carried per plaintext: slotsPerPlaintext - 1. */
  public int dataSlotsPerPlaintext() {
    return slotsPerPlaintext - 1;
  }

  /** Plaintexts (hence ciphertexts) needed for {@code values} values. */
  public int plaintextsFor(int values) {
    return (values + dataSlotsPerPlaintext() - 1) / dataSlotsPerPlaintext();
  }

  /** Bits of a guard value: numNodes times it still fits in a slot. */
  public int guardBits() {
    return slotBits - bitLength(numNodes);
  }

  /** The quantization step 2R / (2^valueBits - 1). */
  public double quantizationStep() {
    return 2 * clippingRange / ((1L << valueBits) - 1);
  }

  /**
   * The worst-case error of a decoded mean against the weighted mean of the clipped inputs: half a
   * quantization step, R / (2^valueBits - 1), plus float rounding of a value of magnitude <= R (R *
   * 2^-23 covers it and the double arithmetic).
   */
  public double maxQuantizationError() {
    return quantizationStep() / 2 + clippingRange * 0x1p-23;
  }

  @Override
  public String toString() {
    return "BitBudget[N "
        + modulusBits
        + " bits, R "
        + clippingRange
        + ", valueBits "
        + valueBits
        + ", maxWeight "
        + maxWeight
        + ", nodes "
        + numNodes
        + " -> slot "
        + slotBits
        + " bits, "
        + slotsPerPlaintext
        + " slots/plaintext]";
  }
}
