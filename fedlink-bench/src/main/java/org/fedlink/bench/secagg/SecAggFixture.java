package org.fedlink.bench.secagg;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.Random;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.secagg.JoyeLibert;
import org.fedlink.crypto.secagg.JoyeLibertKey;

/** Shared set-up of the secure-aggregation benchmarks: scheme, key, plaintexts, masks. */
final class SecAggFixture {
  /** Vectors of this many ciphertexts are used per invocation. */
  static final int BATCH = 32;

  final JoyeLibert scheme;
  final JoyeLibertKey key;
  final BigInteger[] plaintexts;
  final BigInteger[] masks;
  final BigInteger[] ciphertexts;

  SecAggFixture(int bits) {
    try {
      scheme = new JoyeLibert(Biprime.defaultBiprime(bits));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Random random = new Random(bits);
    key = JoyeLibertKey.of(new BigInteger(scheme.keyBits(), random));
    plaintexts = new BigInteger[BATCH];
    masks = new BigInteger[BATCH];
    for (int j = 0; j < BATCH; j++) {
      // A full plaintext, as packing produces: just under N.
      plaintexts[j] = new BigInteger(bits - 1, random);
      masks[j] = scheme.mask(key, 1, j);
    }
    ciphertexts = scheme.encrypt(plaintexts, masks);
  }
}
