package org.fedlink.crypto.masking;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;

/**
 * Shamir secret sharing over the prime field GF(p), p = 2^61 - 1 (a Mersenne prime: reduction is a
 * shift and an add, products use {@link Math#multiplyHigh}; no BigInteger). A secret of any length
 * is cut into 7-byte chunks (56 bits &lt; 61) and each chunk shared with its own random polynomial
 * of degree threshold - 1; a share is the polynomials' values at the holder's x (1..2^31-1). Any
 * {@code threshold} shares reconstruct the secret, fewer reveal nothing about it. Stateless.
 */
public final class Shamir {
  /** The field prime 2^61 - 1. */
  public static final long P = (1L << 61) - 1;

  private static final int CHUNK = 7;

  private Shamir() {}

  /** One holder's share: its x and one field element per chunk. */
  public record Share(int x, long[] values) {
    public Share {
      if (x < 1) {
        throw new IllegalArgumentException("share x " + x + " must be at least 1");
      }
      for (long v : values) {
        if (v < 0 || v >= P) {
          throw new IllegalArgumentException("share value outside the field");
        }
      }
    }

    @Override
    public String toString() {
      return "Share[x " + x + ", " + values.length + " chunks, values hidden]";
    }
  }

  /**
   * Shares {@code secret} among holders {@code xs} (distinct, at least 1), any {@code threshold} of
   * which reconstruct it.
   *
   * @throws IllegalArgumentException if threshold is not in 1..xs.length or an x repeats
   */
  public static Share[] split(byte[] secret, int[] xs, int threshold, SecureRandom random) {
    if (threshold < 1 || threshold > xs.length) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " must be in 1.." + xs.length + " (the number of holders)");
    }
    int chunks = chunks(secret.length);
    long[][] values = new long[xs.length][chunks];
    long[] coeff = new long[threshold];
    for (int c = 0; c < chunks; c++) {
      coeff[0] = chunk(secret, c);
      for (int d = 1; d < threshold; d++) {
        coeff[d] = uniform(random);
      }
      for (int h = 0; h < xs.length; h++) {
        long x = xs[h];
        long y = coeff[threshold - 1];
        for (int d = threshold - 2; d >= 0; d--) {
          y = add(mul(y, x), coeff[d]);
        }
        values[h][c] = y;
      }
    }
    java.util.Arrays.fill(coeff, 0);
    Share[] out = new Share[xs.length];
    for (int h = 0; h < xs.length; h++) {
      for (int g = 0; g < h; g++) {
        if (xs[g] == xs[h]) {
          throw new IllegalArgumentException("holder x " + xs[h] + " appears twice");
        }
      }
      out[h] = new Share(xs[h], values[h]);
    }
    return out;
  }

  /**
   * The secret of {@code length} bytes from exactly the given shares (Lagrange interpolation at 0).
   * With fewer shares than the threshold the result is garbage, not an error: callers check the
   * secret against a commitment or public key.
   *
   * @throws GeneralSecurityException if shares disagree in size, repeat an x, or a chunk does not
   *     fit 7 bytes (a share was forged)
   */
  public static byte[] reconstruct(List<Share> shares, int length) throws GeneralSecurityException {
    int chunks = chunks(length);
    int n = shares.size();
    if (n == 0) {
      throw new GeneralSecurityException("no share to reconstruct from");
    }
    long[] lambda = new long[n];
    for (int i = 0; i < n; i++) {
      Share si = shares.get(i);
      if (si.values().length != chunks) {
        throw new GeneralSecurityException(
            "share x " + si.x() + " has " + si.values().length + " chunks; " + chunks + " needed");
      }
      long num = 1;
      long den = 1;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        long xj = shares.get(j).x();
        if (xj == si.x()) {
          throw new GeneralSecurityException("share x " + xj + " appears twice");
        }
        num = mul(num, xj);
        den = mul(den, sub(xj, si.x()));
      }
      lambda[i] = mul(num, inverse(den));
    }
    byte[] out = new byte[length];
    for (int c = 0; c < chunks; c++) {
      long acc = 0;
      for (int i = 0; i < n; i++) {
        acc = add(acc, mul(lambda[i], shares.get(i).values()[c]));
      }
      if (acc >>> (8 * CHUNK) != 0) {
        throw new GeneralSecurityException("reconstructed chunk exceeds 7 bytes: a share is wrong");
      }
      int from = c * CHUNK;
      for (int b = 0; b < CHUNK && from + b < length; b++) {
        out[from + b] = (byte) (acc >>> (8 * b));
      }
      if (acc >>> (8 * Math.min(CHUNK, length - from)) != 0) {
        throw new GeneralSecurityException(
            "reconstructed chunk exceeds the secret: a share is wrong");
      }
    }
    return out;
  }

  static int chunks(int length) {
    return (length + CHUNK - 1) / CHUNK;
  }

  private static long chunk(byte[] s, int c) {
    long v = 0;
    int from = c * CHUNK;
    for (int b = 0; b < CHUNK && from + b < s.length; b++) {
      v |= (s[from + b] & 0xFFL) << (8 * b);
    }
    return v;
  }

  private static long uniform(SecureRandom random) {
    while (true) {
      long v = random.nextLong() & P; // 61 bits; P itself is the only value to reject
      if (v != P) {
        return v;
      }
    }
  }

  static long add(long a, long b) {
    long s = a + b;
    return s >= P ? s - P : s;
  }

  static long sub(long a, long b) {
    long s = a - b;
    return s < 0 ? s + P : s;
  }

  static long mul(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    // a*b = hi * 2^64 + lo (unsigned lo); 2^61 = 1 mod p.
    long r = (lo & P) + ((lo >>> 61) | (hi << 3));
    r = (r & P) + (r >>> 61);
    return r >= P ? r - P : r;
  }

  static long inverse(long a) {
    long result = 1;
    long base = a;
    long e = P - 2;
    while (e > 0) {
      if ((e & 1) != 0) {
        result = mul(result, base);
      }
      base = mul(base, base);
      e >>>= 1;
    }
    return result;
  }
}
