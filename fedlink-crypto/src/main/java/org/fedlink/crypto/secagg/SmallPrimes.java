package org.fedlink.crypto.secagg;

import java.math.BigInteger;

/** Trial division of a candidate modulus by every prime below {@link #BOUND}. Thread-safe. */
final class SmallPrimes {
  /** Primes below this bound are tried. */
  static final int BOUND = 1 << 16;

  private static final int[] PRIMES = sieve(BOUND);
  private static final BigInteger PRODUCT = product(PRIMES);

  private SmallPrimes() {}

  /** The smallest prime below {@link #BOUND} dividing {@code n}, or 0 if there is none. */
  static int smallestFactor(BigInteger n) {
    // One gcd with the primorial answers "none" quickly, which is the expected case.
    if (n.gcd(PRODUCT).equals(BigInteger.ONE)) {
      return 0;
    }
    for (int p : PRIMES) {
      if (n.mod(BigInteger.valueOf(p)).signum() == 0 && !n.equals(BigInteger.valueOf(p))) {
        return p;
      }
    }
    return 0;
  }

  private static int[] sieve(int bound) {
    boolean[] composite = new boolean[bound];
    int count = 0;
    for (int i = 2; i < bound; i++) {
      if (!composite[i]) {
        count++;
        for (long j = (long) i * i; j < bound; j += i) {
          composite[(int) j] = true;
        }
      }
    }
    int[] primes = new int[count];
    int k = 0;
    for (int i = 2; i < bound; i++) {
      if (!composite[i]) {
        primes[k++] = i;
      }
    }
    return primes;
  }

  private static BigInteger product(int[] primes) {
    BigInteger p = BigInteger.ONE;
    for (int prime : primes) {
      p = p.multiply(BigInteger.valueOf(prime));
    }
    return p;
  }
}
