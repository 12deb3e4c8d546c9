package org.fedlink.crypto.secagg;

import java.security.SecureRandom;

/**
 * A per-round check value the researcher draws and every node writes, unweighted, into the top slot
 * of each plaintext. After decryption each plaintext's top slot must equal nodes * value; anything
 * else fails the round ({@link AggregationIntegrityException}).
 *
 * <p>It catches what the Joye-Libert check (V = 1 mod N) cannot: an aggregate that is consistent
 * but holds fewer (or more) contributions than expected, a node that used another layout, a carry
 * or wrap of the plaintext, and a homomorphic alteration c * (1 + dN) whose d reaches the guard
 * slot. It cannot catch an adversary who knows the layout and adds d to data slots only; that needs
 * signed ciphertexts. The value need not be secret from nodes; it should not be predictable before
 * the round.
 *
 * @param value the guard, in [1, 2^guardBits) of the round's {@link BitBudget}
 */
public record Guard(long value) {
  /**
   * @throws IllegalArgumentException if {@code value} < 1
   */
  public Guard {
    if (value < 1) {
      throw new IllegalArgumentException("guard value = " + value + "; must be >= 1");
    }
  }

  /** A fresh guard, uniform in [1, 2^budget.guardBits()). */
  public static Guard random(BitBudget budget, SecureRandom random) {
    long bound = 1L << Math.min(budget.guardBits(), 62);
    long v;
    do {
      v = random.nextLong() & (bound - 1);
    } while (v == 0);
    return new Guard(v);
  }

  /** True if {@code value} fits the guard slot of {@code budget}. */
  public boolean fits(BitBudget budget) {
    return budget.guardBits() >= 63 || value < (1L << budget.guardBits());
  }
}
