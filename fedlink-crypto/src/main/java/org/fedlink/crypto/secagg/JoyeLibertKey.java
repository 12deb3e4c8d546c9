package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Objects;

/**
 * A Joye-Libert masking exponent: a node's secret key sk_i, or the aggregator's key sk_0 = -(sum of
 * all sk_i), which may be negative.
 *
 * <p>Node keys are drawn uniformly from [0, 2^(2|N|)) where |N| is the bit length of the modulus,
 * as in Joye and Libert (FC 2013, keys of twice the modulus size): the group Z*_{N^2} has order
 * N*phi(N) below 2^(2|N|), so the exponent covers the whole group and H(t)^sk_i is
 * indistinguishable from random under DCR. The aggregator key then has at most 2|N| + log2(nodes)
 * bits.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the value.
 */
public final class JoyeLibertKey {
  private final BigInteger exponent;

  private JoyeLibertKey(BigInteger exponent) {
    this.exponent = exponent;
  }

  /** Wraps an exponent (any sign); {@code exponent} must not be null. */
  public static JoyeLibertKey of(BigInteger exponent) {
    return new JoyeLibertKey(Objects.requireNonNull(exponent, "exponent"));
  }

  /**
   * The aggregator key -(sum of {@code parts}), where the parts are either the node keys (tests,
   * trusted dealer) or the per-node sums of additive shares of the node keys (the MPC setup: the
   * sum of all share sums equals the sum of all keys, see {@link AdditiveSharing}).
   *
   * @throws IllegalArgumentException if {@code parts} is empty
   */
  public static JoyeLibertKey aggregatorKey(Collection<BigInteger> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("aggregatorKey needs at least one part, got none");
    }
    BigInteger sum = BigInteger.ZERO;
    for (BigInteger part : parts) {
      sum = sum.add(Objects.requireNonNull(part, "part"));
    }
    return new JoyeLibertKey(sum.negate());
  }

  /** The exponent. Secret: never log it. */
  public BigInteger exponent() {
    return exponent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JoyeLibertKey other && exponent.equals(other.exponent);
  }

  @Override
  public int hashCode() {
    return exponent.hashCode();
  }

  @Override
  public String toString() {
    return "JoyeLibertKey[" + exponent.bitLength() + " bits, value hidden]";
  }
}
