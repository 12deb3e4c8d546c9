package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * The Joye-Libert private stream aggregation scheme over a {@link Biprime} N.
 *
 * <ul>
 *   <li>mask: m = H(t, j)^sk mod N^2, with H the {@link FullDomainHash} of round t and index j;
 *   <li>encrypt: c = (1 + x*N) * m mod N^2 for a plaintext 0 <= x < N;
 *   <li>aggregate: the product of the nodes' ciphertexts mod N^2, index by index;
 *   <li>decrypt: V = H(t, j)^sk_0 * aggregate mod N^2 with sk_0 = -(sum sk_i); V must be 1 mod N,
 *       and the sum is (V - 1) / N (mod N).
 * </ul>
 *
 * <p>Masks do not depend on the data, so they are computed ahead of time ({@link Masks}) and the
 * critical path is {@link #encrypt(BigInteger, BigInteger)}: one modular multiplication. It uses (1
 * + xN) m = m + N (x m mod N) (mod N^2), which needs only a product reduced mod N.
 *
 * <p>What decryption detects: with every mask cancelling, V = 1 + N*sum. A missing, duplicated,
 * substituted or reordered ciphertext, or one masked for another round or index, leaves a factor
 * H^e with e != 0, which is 1 mod N only with negligible probability, so {@link #decrypt} throws.
 * It does NOT detect a homomorphic alteration c' = c * (1 + dN), which adds d to the sum: the
 * scheme is malleable. {@link Guard} catches such alterations when they touch the guard slot or
 * wrap the plaintext, and a consistent aggregate of fewer nodes than expected; only signatures on
 * ciphertexts stop a targeted one.
 *
 * <p>Immutable and thread-safe.
 */
public final class JoyeLibert {
  private final Biprime biprime;
  private final BigInteger n;
  private final BigInteger nSquared;
  private final MaskHash hash;

  /** The scheme over {@code biprime} with the standard {@link FullDomainHash}. */
  public JoyeLibert(Biprime biprime) {
    this(biprime, new FullDomainHash(biprime.modulus()));
  }

  /** The scheme with a substituted H, for known-answer tests. */
  JoyeLibert(Biprime biprime, MaskHash hash) {
    this.biprime = Objects.requireNonNull(biprime, "biprime");
    this.n = biprime.modulus();
    this.nSquared = n.multiply(n);
    this.hash = Objects.requireNonNull(hash, "hash");
  }

  /** The public modulus. */
  public Biprime biprime() {
    return biprime;
  }

  /** The size in bits of node keys: twice the modulus size (see {@link JoyeLibertKey}). */
  public int keyBits() {
    return 2 * n.bitLength();
  }

  /** A fresh node key, uniform in [0, 2^{@link #keyBits()}). */
  public JoyeLibertKey generateKey(SecureRandom random) {
    return JoyeLibertKey.of(new BigInteger(keyBits(), random));
  }

  /**
   * The mask H(round, index)^key mod N^2. A negative key (the aggregator's) exponentiates the
   * inverse of H.
   */
  public BigInteger mask(JoyeLibertKey key, long round, int index) {
    BigInteger h = hash.hash(round, index);
    BigInteger e = key.exponent();
    if (e.signum() < 0) {
      return h.modInverse(nSquared).modPow(e.negate(), nSquared);
    }
    return h.modPow(e, nSquared);
  }

  /**
   * Encrypts one plaintext with a precomputed mask: (1 + x*N) * mask mod N^2.
   *
   * @throws IllegalArgumentException if {@code plaintext} is outside [0, N) or {@code mask} outside
   *     (0, N^2)
   */
  public BigInteger encrypt(BigInteger plaintext, BigInteger mask) {
    if (mask.signum() <= 0 || mask.compareTo(nSquared) >= 0) {
      throw new IllegalArgumentException("mask is outside (0, N^2): not a mask of this scheme");
    }
    if (plaintext.signum() < 0 || plaintext.compareTo(n) >= 0) {
      throw new IllegalArgumentException(
          "plaintext of "
              + plaintext.bitLength()
              + " bits is outside [0, N) with N of "
              + n.bitLength()
              + " bits; check the BitBudget");
    }
    BigInteger c = plaintext.multiply(mask.mod(n)).mod(n).multiply(n).add(mask);
    return c.compareTo(nSquared) >= 0 ? c.subtract(nSquared) : c;
  }

  /** Encrypts {@code plaintexts[j]} with {@code masks[j]} for every j; see {@link #encrypt}. */
  public BigInteger[] encrypt(BigInteger[] plaintexts, BigInteger[] masks) {
    requireSameLength(plaintexts.length, masks.length, "masks");
    BigInteger[] out = new BigInteger[plaintexts.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = encrypt(plaintexts[j], masks[j]);
    }
    return out;
  }

  /** Computes the mask and encrypts; the slow path, for tests and small vectors. */
  public BigInteger encrypt(JoyeLibertKey key, long round, int index, BigInteger plaintext) {
    return encrypt(plaintext, mask(key, round, index));
  }

  /**
   * Multiplies {@code ciphertexts} into {@code accumulator} index by index, in place, and returns
   * it. Not thread-safe on the same accumulator.
   *
   * @throws IllegalArgumentException if the lengths differ or a ciphertext is outside (0, N^2)
   */
  public BigInteger[] accumulate(BigInteger[] accumulator, BigInteger[] ciphertexts) {
    requireSameLength(accumulator.length, ciphertexts.length, "ciphertexts");
    for (int j = 0; j < accumulator.length; j++) {
      BigInteger c = ciphertexts[j];
      if (c.signum() <= 0 || c.compareTo(nSquared) >= 0) {
        throw new IllegalArgumentException("ciphertext " + j + " is outside (0, N^2)");
      }
      accumulator[j] = accumulator[j].multiply(c).mod(nSquared);
    }
    return accumulator;
  }

  /** The index-wise product of the nodes' ciphertext vectors mod N^2 (at least one vector). */
  public BigInteger[] aggregate(List<BigInteger[]> ciphertextsPerNode) {
    if (ciphertextsPerNode.isEmpty()) {
      throw new IllegalArgumentException("aggregate needs at least one ciphertext vector");
    }
    BigInteger[] acc = new BigInteger[ciphertextsPerNode.get(0).length];
    java.util.Arrays.fill(acc, BigInteger.ONE);
    for (BigInteger[] c : ciphertextsPerNode) {
      accumulate(acc, c);
    }
    return acc;
  }

  /**
   * Decrypts an aggregate with the aggregator's precomputed masks H(t, j)^sk_0.
   *
   * @return the sums of the plaintexts mod N, index by index
   * @throws AggregationIntegrityException if some V is not 1 mod N (see the class comment)
   */
  public BigInteger[] decrypt(BigInteger[] aggregate, BigInteger[] aggregatorMasks)
      throws AggregationIntegrityException {
    requireSameLength(aggregate.length, aggregatorMasks.length, "aggregatorMasks");
    BigInteger[] sums = new BigInteger[aggregate.length];
    for (int j = 0; j < sums.length; j++) {
      BigInteger v = aggregatorMasks[j].multiply(aggregate[j]).mod(nSquared);
      BigInteger[] qr = v.subtract(BigInteger.ONE).divideAndRemainder(n);
      if (qr[1].signum() != 0) {
        throw new AggregationIntegrityException(
            "aggregate ciphertext "
                + j
                + " of "
                + sums.length
                + " does not decrypt (V != 1 mod N): a ciphertext is missing, extra, altered or"
                + " masked for another round; discard the round");
      }
      sums[j] = qr[0];
    }
    return sums;
  }

  /** Computes the aggregator masks for {@code round} one by one and decrypts; see above. */
  public BigInteger[] decrypt(JoyeLibertKey aggregatorKey, long round, BigInteger[] aggregate)
      throws AggregationIntegrityException {
    BigInteger[] masks = new BigInteger[aggregate.length];
    for (int j = 0; j < masks.length; j++) {
      masks[j] = mask(aggregatorKey, round, j);
    }
    return decrypt(aggregate, masks);
  }

  private static void requireSameLength(int expected, int actual, String what) {
    if (expected != actual) {
      throw new IllegalArgumentException(
          what + " has " + actual + " elements; expected " + expected);
    }
  }
}
