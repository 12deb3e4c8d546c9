package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.util.Objects;

/**
 * Turns one node's {@code float[]} update into Joye-Libert plaintexts, and the decrypted sums of
 * all nodes back into the weighted mean.
 *
 * <p>Mapping, with R the clipping range, b = valueBits and L = 2^b - 1: each value v is clipped to
 * [-R, R] (infinities too; NaN is refused), quantized to q = round((clip(v) + R) / (2R) * L), an
 * integer in [0, L], and multiplied by the node's weight w. Value i goes to slot i mod D of
 * plaintext i / D (D = {@link BitBudget#dataSlotsPerPlaintext()}), slot k at bits [k*slotBits,
 * (k+1)*slotBits); the top slot holds the {@link Guard}; unused slots are 0.
 *
 * <p>Decoding: a slot sum S = sum_i w_i q_i gives mean = S / (W L) * 2R - R with W the total
 * weight: the weighted mean of the dequantized values. Each dequantized value is within half a
 * step, R / L, of its clipped input, so the decoded mean is within {@link
 * BitBudget#maxQuantizationError()} of the weighted mean of the clipped inputs.
 *
 * <p>Immutable and thread-safe.
 */
public final class VectorEncoder {
  private final BitBudget budget;
  private final int length;
  private final int plaintexts;

  /**
   * An encoder for vectors of {@code length} values under {@code budget}.
   *
   * @throws IllegalArgumentException if {@code length} < 1
   */
  public VectorEncoder(BitBudget budget, int length) {
    this.budget = Objects.requireNonNull(budget, "budget");
    if (length < 1) {
      throw new IllegalArgumentException("length = " + length + "; must be >= 1");
    }
    this.length = length;
    this.plaintexts = budget.plaintextsFor(length);
  }

  public BitBudget budget() {
    return budget;
  }

  /** The number of values per vector. */
  public int length() {
    return length;
  }

  /** The number of plaintexts (and ciphertexts) per vector. */
  public int plaintextCount() {
    return plaintexts;
  }

  /**
   * Clips, quantizes, weights and packs {@code update}.
   *
   * @throws InvalidAlgorithmParameterException if {@code weight} is outside [1, maxWeight] or the
   *     guard does not fit the budget's guard slot
   * @throws IllegalArgumentException if {@code update} has the wrong length or holds a NaN
   */
  public BigInteger[] encode(float[] update, long weight, Guard guard)
      throws InvalidAlgorithmParameterException {
    if (update.length != length) {
      throw new IllegalArgumentException(
          "update has " + update.length + " values; this encoder expects " + length);
    }
    if (weight < 1 || weight > budget.maxWeight()) {
      throw new InvalidAlgorithmParameterException(
          "weight = " + weight + "; allowed 1.." + budget.maxWeight() + " by the bit budget");
    }
    requireFits(guard);
    int slotsPer = budget.slotsPerPlaintext();
    int data = budget.dataSlotsPerPlaintext();
    double r = budget.clippingRange();
    double scale = ((1L << budget.valueBits()) - 1) / (2 * r);
    long[] slots = new long[plaintexts * slotsPer];
    for (int i = 0; i < length; i++) {
      float v = update[i];
      if (Float.isNaN(v)) {
        throw new IllegalArgumentException("update[" + i + "] is NaN; fix training first");
      }
      double clipped = Math.max(-r, Math.min(r, v));
      long q = Math.round((clipped + r) * scale);
      slots[(i / data) * slotsPer + i % data] = q * weight;
    }
    BigInteger[] out = new BigInteger[plaintexts];
    for (int p = 0; p < plaintexts; p++) {
      slots[p * slotsPer + data] = guard.value();
      out[p] = SlotPacking.pack(slots, p * slotsPer, slotsPer, budget.slotBits());
    }
    return out;
  }

  /**
   * Checks the guard slots and returns the weighted mean of the {@code nodes} updates summed in
   * {@code sums} (decrypted plaintext sums, one per plaintext).
   *
   * @param totalWeight the sum of the nodes' weights
   * @throws AggregationIntegrityException if the number of sums is wrong, a sum overflows its
   *     layout, a slot exceeds what {@code nodes} and {@code totalWeight} allow, or a guard slot is
   *     not nodes * guard
   * @throws InvalidAlgorithmParameterException if {@code nodes} is outside [1, numNodes] or {@code
   *     totalWeight} outside [nodes, nodes * maxWeight]
   */
  public float[] decode(BigInteger[] sums, int nodes, long totalWeight, Guard guard)
      throws AggregationIntegrityException, InvalidAlgorithmParameterException {
    if (nodes < 1 || nodes > budget.numNodes()) {
      throw new InvalidAlgorithmParameterException(
          "nodes = " + nodes + "; the bit budget allows 1.." + budget.numNodes());
    }
    if (totalWeight < nodes || totalWeight > nodes * budget.maxWeight()) {
      throw new InvalidAlgorithmParameterException(
          "totalWeight = "
              + totalWeight
              + "; allowed "
              + nodes
              + ".."
              + nodes * budget.maxWeight());
    }
    requireFits(guard);
    if (sums.length != plaintexts) {
      throw new AggregationIntegrityException(
          "got " + sums.length + " plaintext sums; expected " + plaintexts);
    }
    int slotsPer = budget.slotsPerPlaintext();
    int data = budget.dataSlotsPerPlaintext();
    long levels = (1L << budget.valueBits()) - 1;
    long maxSlot = totalWeight * levels;
    long expectedGuard = guard.value() * nodes;
    double r = budget.clippingRange();
    double toValue = 2 * r / ((double) totalWeight * levels);
    long[] slots = new long[slotsPer];
    float[] mean = new float[length];
    for (int p = 0; p < plaintexts; p++) {
      if (sums[p].signum() < 0 || sums[p].bitLength() > slotsPer * budget.slotBits()) {
        throw new AggregationIntegrityException(
            "plaintext sum "
                + p
                + " has "
                + sums[p].bitLength()
                + " bits; layout allows "
                + slotsPer * budget.slotBits()
                + ": overflow or tampering");
      }
      SlotPacking.unpack(sums[p], slotsPer, budget.slotBits(), slots, 0);
      if (slots[data] != expectedGuard) {
        throw new AggregationIntegrityException(
            "guard slot of plaintext "
                + p
                + " holds "
                + slots[data]
                + "; expected "
                + nodes
                + " x guard = "
                + expectedGuard
                + ": a contribution is missing, extra or altered");
      }
      for (int k = 0; k < data; k++) {
        int i = p * data + k;
        if (i >= length) {
          break;
        }
        if (slots[k] > maxSlot) {
          throw new AggregationIntegrityException(
              "value "
                  + i
                  + " sums to "
                  + slots[k]
                  + " > totalWeight x (2^valueBits - 1) = "
                  + maxSlot
                  + ": wrong totalWeight, or tampering");
        }
        mean[i] = (float) (slots[k] * toValue - r);
      }
    }
    return mean;
  }

  private void requireFits(Guard guard) throws InvalidAlgorithmParameterException {
    if (!Objects.requireNonNull(guard, "guard").fits(budget)) {
      throw new InvalidAlgorithmParameterException(
          "guard value " + guard.value() + " exceeds " + budget.guardBits() + " bits");
    }
  }
}
