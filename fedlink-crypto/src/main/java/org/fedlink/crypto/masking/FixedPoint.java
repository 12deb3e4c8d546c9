package org.fedlink.crypto.masking;

import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Fixed-point encoding of weighted update deltas into {@link RingVector} lanes, for the masking
 * schemes (LOM, SecAgg+). A value v is clipped to [-R, R], scaled to q = round(v / R * (2^(b-1) -
 * 1)) (b = value bits) and multiplied by the node's weight w (its example count). The sum of every
 * node's lanes decodes exactly as long as |sum| < 2^(lane-1), which {@link #of} guarantees for up
 * to {@code maxParties} parties of weight at most {@code maxWeight}, choosing 32-bit lanes when
 * they suffice and 64-bit lanes otherwise. The decoded weighted mean differs from the exact
 * weighted mean of the clipped values by at most R / (2^(b-1) - 1) / 2 per value (rounding).
 * Immutable and thread-safe.
 *
 * @param clippingRange R, finite and positive
 * @param valueBits b, 2..32
 * @param maxWeight the largest weight one party may use
 * @param laneBits 32 or 64, the ring the vectors live in
 */
public record FixedPoint(double clippingRange, int valueBits, long maxWeight, int laneBits) {
  public FixedPoint {
    if (!(clippingRange > 0) || Double.isInfinite(clippingRange)) {
      throw new IllegalArgumentException("clipping range " + clippingRange + " must be > 0");
    }
    if (valueBits < 2 || valueBits > 32) {
      throw new IllegalArgumentException("value bits " + valueBits + "; allowed 2..32");
    }
    if (maxWeight < 1) {
      throw new IllegalArgumentException("max weight " + maxWeight + " must be at least 1");
    }
    if (laneBits != 32 && laneBits != 64) {
      throw new IllegalArgumentException("lane bits " + laneBits + "; allowed 32 or 64");
    }
  }

  /**
   * The encoding for up to {@code maxParties} parties: the smallest lane width whose signed range
   * holds the largest possible sum.
   *
   * @throws IllegalArgumentException naming the bits needed if even 64-bit lanes cannot hold it
   */
  public static FixedPoint of(double clippingRange, int valueBits, long maxWeight, int maxParties) {
    int needed = bitsNeeded(valueBits, maxWeight, maxParties);
    if (needed > 64) {
      throw new IllegalArgumentException(
          "a sum of "
              + maxParties
              + " parties with "
              + valueBits
              + " value bits and weights up to "
              + maxWeight
              + " needs "
              + needed
              + " bits; at most 64 fit: lower the value bits or the max weight");
    }
    return new FixedPoint(clippingRange, valueBits, maxWeight, needed <= 32 ? 32 : 64);
  }

  /** Signed bits a sum needs: value magnitude bits + weight bits + party bits + the sign. */
  static int bitsNeeded(int valueBits, long maxWeight, int maxParties) {
    int weightBits = 64 - Long.numberOfLeadingZeros(maxWeight);
    int partyBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, maxParties));
    return (valueBits - 1) + weightBits + partyBits + 1;
  }

  /** The largest quantized magnitude, 2^(b-1) - 1. */
  public long scale() {
    return (1L << (valueBits - 1)) - 1;
  }

  /** The worst-case absolute error per value of a decoded mean, R / scale / 2. */
  public double bound() {
    return clippingRange / scale() / 2;
  }

  /**
   * Encodes {@code values} weighted by {@code weight}.
   *
   * @throws IllegalArgumentException if weight is not in [0, maxWeight]
   */
  public RingVector encode(float[] values, long weight) {
    checkWeight(weight);
    RingVector out = new RingVector(values.length, laneBits);
    encodeWords(values, weight, out.words(), 0, out.words().length);
    return out;
  }

  /**
   * Encodes {@code values} weighted by {@code weight} and adds the masks of {@code keys}, block by
   * block while each block is in cache: one pass over memory instead of two.
   *
   * @throws IllegalArgumentException if weight is not in [0, maxWeight]
   */
  public RingVector encodeMasked(float[] values, long weight, List<MaskKey> keys)
      throws GeneralSecurityException {
    checkWeight(weight);
    RingVector out = new RingVector(values.length, laneBits);
    long[] w = out.words();
    MaskPrg.Streams streams = MaskPrg.open(keys);
    for (int at = 0; at < w.length; at += MaskPrg.WORDS_PER_BLOCK) {
      int count = Math.min(MaskPrg.WORDS_PER_BLOCK, w.length - at);
      encodeWords(values, weight, w, at, count);
      streams.addNext(w, at, count, laneBits);
    }
    return out;
  }

  private void checkWeight(long weight) {
    if (weight < 0 || weight > maxWeight) {
      throw new IllegalArgumentException(
          "weight " + weight + " is outside 0.." + maxWeight + " (the agreed max weight)");
    }
  }

  private void encodeWords(float[] values, long weight, long[] w, int from, int count) {
    double k = scale() / clippingRange;
    double r = clippingRange;
    int end = from + count;
    if (laneBits == 64) {
      for (int i = from; i < end; i++) {
        w[i] = quantize(values[i], r, k) * weight;
      }
      return;
    }
    int full = Math.min(end, values.length / 2);
    for (int j = from; j < full; j++) {
      long lo = (quantize(values[2 * j], r, k) * weight) & 0xFFFF_FFFFL;
      long hi = (quantize(values[2 * j + 1], r, k) * weight) & 0xFFFF_FFFFL;
      w[j] = lo | (hi << 32);
    }
    for (int j = Math.max(from, full); j < end; j++) { // the last word of an odd length
      w[j] = (quantize(values[2 * j], r, k) * weight) & 0xFFFF_FFFFL;
    }
  }

  private static long quantize(float v, double r, double k) {
    // Math.max/min/rint are intrinsics; a NaN stays NaN through them and (long) NaN is 0.
    return (long) Math.rint(Math.max(-r, Math.min(r, v)) * k);
  }

  /**
   * Decodes a sum of encodings into the weighted mean: sum / (scale x totalWeight) x R.
   *
   * @throws IllegalArgumentException if totalWeight is not positive
   */
  public float[] decodeMean(RingVector sum, long totalWeight) {
    if (totalWeight <= 0) {
      throw new IllegalArgumentException("total weight " + totalWeight + " must be positive");
    }
    float[] out = new float[sum.length()];
    double k = clippingRange / scale() / totalWeight;
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sum.signed(i) * k);
    }
    return out;
  }
}
