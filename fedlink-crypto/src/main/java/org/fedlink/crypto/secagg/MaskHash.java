package org.fedlink.crypto.secagg;

import java.math.BigInteger;

/** H(t, j): maps a round and a ciphertext index into Z*_{N^2}. Implementations are thread-safe. */
@FunctionalInterface
interface MaskHash {
  /** An element of Z*_{N^2} determined by {@code round} and {@code index} only. */
  BigInteger hash(long round, int index);
}
