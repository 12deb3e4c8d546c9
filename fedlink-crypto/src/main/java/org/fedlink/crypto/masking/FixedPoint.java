package org.fedlink.crypto.masking;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Fixed-point encoding of weighted update deltas into {@link RingVector} lanes, for the masking
 * schemes (LOM, SecAgg+). A party of weight w (its example count) encodes a value v as q =
 * round(clip(v) / R x S x w / U): R is the clipping range, S the scale and U the weight unit, at
 * least every party's weight, so |q| <= S. The lane holds q + S, in [0, 2S], and a sum over at most
 * {@code maxParties} parties stays below 2^lane: lanes never carry into each other, so the words
 * can be masked and summed as plain 64-bit integers ({@link RingVector}). The weight is folded into
 * the value rather than multiplied onto it, so the lane holds value bits and party bits only and no
 * weight bits: 32-bit lanes serve up to about 180 parties at 16 value bits, whatever their example
 * counts.
 *
 * <p>The decoded weighted mean differs from the exact weighted mean of the clipped values by at
 * most {@link #bound(long)} per value: each party rounds once, by at most half a step. {@link #of}
 * picks the narrowest lane whose bound, for any total weight it is told the round will reach, is no
 * worse than that of b value bits, R / (2^(b-1) - 1) / 2. Immutable and thread-safe.
 *
 * @param clippingRange R, finite and positive
 * @param scale S, 1..{@link #MAX_SCALE}, with maxParties x 2S below 2^laneBits (2^63 for 64)
 * @param weightUnit U, the largest weight a party may encode
 * @param maxParties the most parties whose encodings are summed
 * @param laneBits 32 or 64, the ring the vectors live in
 */
public record FixedPoint(
    double clippingRange, long scale, long weightUnit, int maxParties, int laneBits) {
  /**
   * The largest scale: a double holds every integer up to it exactly, so rounding a value of at
   * most S in magnitude never passes S.
   */
  public static final long MAX_SCALE = 1L << 51;

  public FixedPoint {
    if (!(clippingRange > 0) || Double.isInfinite(clippingRange)) {
      throw new IllegalArgumentException("clipping range " + clippingRange + " must be > 0");
    }
    if (laneBits != 32 && laneBits != 64) {
      throw new IllegalArgumentException("lane bits " + laneBits + "; allowed 32 or 64");
    }
    if (maxParties < 1) {
      throw new IllegalArgumentException("max parties " + maxParties + " must be at least 1");
    }
    if (weightUnit < 1) {
      throw new IllegalArgumentException("weight unit " + weightUnit + " must be at least 1");
    }
    if (scale < 1 || scale > largestScale(laneBits, maxParties)) {
      throw new IllegalArgumentException(
          "scale "
              + scale
              + " for "
              + maxParties
              + " parties in "
              + laneBits
              + "-bit lanes; allowed 1.."
              + largestScale(laneBits, maxParties));
    }
  }

  /**
   * The encoding for up to {@code maxParties} parties of weight at most {@code weightUnit} whose
   * weights will sum to at least {@code minTotalWeight}: the narrowest lane in which the error
   * bound is at most that of {@code valueBits} value bits, with the largest scale that lane allows.
   *
   * @throws IllegalArgumentException naming what to change if even 64-bit lanes cannot promise it
   */
  public static FixedPoint of(
      double clippingRange, int valueBits, long weightUnit, long minTotalWeight, int maxParties) {
    if (valueBits < 2 || valueBits > 32) {
      throw new IllegalArgumentException("value bits " + valueBits + "; allowed 2..32");
    }
    if (weightUnit < 1 || minTotalWeight < 1 || maxParties < 1) {
      throw new IllegalArgumentException(
          "weight unit "
              + weightUnit
              + ", min total weight "
              + minTotalWeight
              + " and max parties "
              + maxParties
              + " must all be at least 1");
    }
    // bound(total) <= R / (2 s_b) for every total >= minTotal  <=>  S x minTotal >= n x s_b x U
    BigInteger needed =
        BigInteger.valueOf(maxParties)
            .multiply(BigInteger.valueOf((1L << (valueBits - 1)) - 1))
            .multiply(BigInteger.valueOf(weightUnit));
    for (int lane : new int[] {32, 64}) {
      long s = largestScale(lane, maxParties);
      if (BigInteger.valueOf(s).multiply(BigInteger.valueOf(minTotalWeight)).compareTo(needed)
          >= 0) {
        return new FixedPoint(clippingRange, s, weightUnit, maxParties, lane);
      }
    }
    throw new IllegalArgumentException(
        "the precision of "
            + valueBits
            + " value bits for "
            + maxParties
            + " parties with weights up to "
            + weightUnit
            + " summing to at least "
            + minTotalWeight
            + " does not fit 64-bit lanes: lower the value bits or the max weight");
  }

  /** The largest scale for {@code parties} parties in lanes of {@code laneBits}. */
  static long largestScale(int laneBits, int parties) {
    long laneMax = laneBits == 64 ? Long.MAX_VALUE : (1L << laneBits) - 1;
    return Math.min(MAX_SCALE, laneMax / 2 / Math.max(1, parties));
  }

  /**
   * The worst-case absolute error per value of a decoded mean whose weights sum to {@code
   * totalWeight}: maxParties half-steps, n x R x U / (2 x S x total).
   */
  public double bound(long totalWeight) {
    return maxParties * clippingRange * weightUnit / (2.0 * scale * Math.max(1, totalWeight));
  }

  /**
   * Encodes {@code values} weighted by {@code weight}.
   *
   * @throws IllegalArgumentException if weight is not in [0, weightUnit]
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
   * @throws IllegalArgumentException if weight is not in [0, weightUnit]
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
      streams.addNext(w, at, count);
    }
    return out;
  }

  private void checkWeight(long weight) {
    if (weight < 0 || weight > weightUnit) {
      throw new IllegalArgumentException(
          "weight " + weight + " is outside 0.." + weightUnit + " (the round's weight unit)");
    }
  }

  private void encodeWords(float[] values, long weight, long[] w, int from, int count) {
    double k = (double) scale * weight / weightUnit / clippingRange;
    // Rounding is monotone, so rounding the clipped value equals clamping the rounded value to the
    // rounded bounds: the lane is floor(v k + S + 1/2) clamped to [S - m, S + m], m = round(R k) <=
    // S. One multiply-add, one conversion and a few selects per value.
    double shift = scale + 0.5;
    long m = (long) Math.floor(clippingRange * k + 0.5);
    long lo = scale - m;
    long hi = scale + m;
    long zero = scale;
    int end = from + count;
    if (laneBits == 64) {
      for (int i = from; i < end; i++) {
        w[i] = lane(values[i], k, shift, lo, hi, zero);
      }
      return;
    }
    int full = Math.min(end, values.length / 2);
    for (int j = from; j < full; j++) {
      long first = lane(values[2 * j], k, shift, lo, hi, zero);
      long second = lane(values[2 * j + 1], k, shift, lo, hi, zero);
      w[j] = first | (second << 32);
    }
    for (int j = Math.max(from, full); j < end; j++) { // the last word of an odd length
      w[j] = lane(values[2 * j], k, shift, lo, hi, zero);
    }
  }

  private static long lane(float v, double k, double shift, long lo, long hi, long zero) {
    // (long) truncates toward zero and saturates: anything below 0 or past 2^63 (infinities
    // included) lands outside [lo, hi] with lo >= 0, and the clamp brings it to the bound, so no
    // float can leave the lane's range. A NaN encodes as 0.
    long q = Math.max(lo, Math.min(hi, (long) (v * k + shift)));
    return v == v ? q : zero;
  }

  /**
   * Decodes a sum of {@code parties} encodings into the weighted mean: (lane - parties x S) x R x U
   * / (S x totalWeight).
   *
   * @throws IllegalArgumentException if totalWeight is not positive or parties is not in
   *     1..maxParties
   */
  public float[] decodeMean(RingVector sum, int parties, long totalWeight) {
    if (totalWeight <= 0) {
      throw new IllegalArgumentException("total weight " + totalWeight + " must be positive");
    }
    if (parties < 1 || parties > maxParties) {
      throw new IllegalArgumentException(
          "a sum of " + parties + " parties; this encoding allows 1.." + maxParties);
    }
    float[] out = new float[sum.length()];
    double k = clippingRange * weightUnit / ((double) scale * totalWeight);
    long offset = parties * scale;
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((sum.lane(i) - offset) * k);
    }
    return out;
  }
}
