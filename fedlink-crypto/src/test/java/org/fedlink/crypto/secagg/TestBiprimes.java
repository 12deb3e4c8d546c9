package org.fedlink.crypto.secagg;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Shared fixtures: the shipped biprimes and deterministic SecureRandoms. */
final class TestBiprimes {
  private TestBiprimes() {}

  static Biprime n1024() {
    try {
      return Biprime.defaultBiprime(1024);
    } catch (InvalidAlgorithmParameterException e) {
      throw new AssertionError(e);
    }
  }

  /** A SecureRandom whose output depends only on {@code seed} (SHA1PRNG seeded before use). */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
