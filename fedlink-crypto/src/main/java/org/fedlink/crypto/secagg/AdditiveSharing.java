package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Additive secret sharing over the integers, used to compute the Joye-Libert aggregator key: node i
 * splits sk_i into n shares, sends share j to node j, each node sends the researcher only the sum
 * of the shares it received, and the researcher's key is minus the sum of those sums ({@link
 * JoyeLibertKey#aggregatorKey}). Sharing is over the integers, not modulo anything, because the
 * order of Z*_{N^2} is unknown to everyone.
 *
 * <p>A secret s with |s| < 2^secretBits is split as s_1 .. s_{n-1} uniform in [0, 2^w) and s_n = s
 * - (s_1 + ... + s_{n-1}), with masking width w = secretBits + statisticalSecurity + 1. The shares
 * always sum to s exactly. Hiding: any n - 1 shares that exclude s_n are independent of s; any that
 * include s_n and miss s_m show s - s_m, whose distributions for two admissible secrets differ in
 * statistical distance at most 2^(secretBits+1) / 2^w = 2^-statisticalSecurity.
 *
 * <p>Immutable and thread-safe if the SecureRandom passed in is (the JDK's are).
 */
public final class AdditiveSharing {
  /** The default statistical security parameter, in bits. */
  public static final int DEFAULT_STATISTICAL_SECURITY = 128;

  private final int secretBits;
  private final int statisticalSecurity;

  /**
   * Sharing of secrets with |s| < 2^secretBits.
   *
   * @throws IllegalArgumentException if {@code secretBits} < 1 or {@code statisticalSecurity} < 40
   */
  public AdditiveSharing(int secretBits, int statisticalSecurity) {
    if (secretBits < 1) {
      throw new IllegalArgumentException("secretBits = " + secretBits + "; must be >= 1");
    }
    if (statisticalSecurity < 40) {
      throw new IllegalArgumentException(
          "statisticalSecurity = " + statisticalSecurity + " bits; must be >= 40 (default 128)");
    }
    this.secretBits = secretBits;
    this.statisticalSecurity = statisticalSecurity;
  }

  /** Sharing of Joye-Libert node keys of {@code scheme}, with 128-bit statistical hiding. */
  public static AdditiveSharing forKeys(JoyeLibert scheme) {
    return new AdditiveSharing(scheme.keyBits(), DEFAULT_STATISTICAL_SECURITY);
  }

  /** The width w in bits of the random shares s_1 .. s_{n-1}. */
  public int maskingBits() {
    return secretBits + statisticalSecurity + 1;
  }

  /**
   * Splits {@code secret} into {@code n} shares that sum to it. Pass a fresh {@link SecureRandom}
   * in production; a seeded one makes tests reproducible.
   *
   * @throws IllegalArgumentException if {@code n} < 2 or |secret| >= 2^secretBits
   */
  public BigInteger[] split(BigInteger secret, int n, SecureRandom random) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(random, "random");
    if (n < 2) {
      throw new IllegalArgumentException("n = " + n + " shares; must be >= 2");
    }
    if (secret.abs().bitLength() > secretBits) {
      throw new IllegalArgumentException(
          "secret of "
              + secret.abs().bitLength()
              + " bits exceeds the configured "
              + secretBits
              + " bits");
    }
    BigInteger[] shares = new BigInteger[n];
    BigInteger last = secret;
    for (int i = 0; i < n - 1; i++) {
      shares[i] = new BigInteger(maskingBits(), random);
      last = last.subtract(shares[i]);
    }
    shares[n - 1] = last;
    return shares;
  }

  /** The sum of {@code shares}: the secret when all its shares are given. */
  public static BigInteger combine(BigInteger... shares) {
    BigInteger sum = BigInteger.ZERO;
    for (BigInteger s : shares) {
      sum = sum.add(Objects.requireNonNull(s, "share"));
    }
    return sum;
  }
}
