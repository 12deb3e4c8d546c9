package org.fedlink.crypto.secagg;

import java.security.GeneralSecurityException;

/**
 * An aggregate did not decrypt to a consistent sum: a ciphertext was missing, duplicated, altered,
 * masked for another round or index, or the guard slot did not hold the expected value. The round
 * must be discarded.
 */
public final class AggregationIntegrityException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** An exception whose message says which ciphertext or slot failed and why. */
  public AggregationIntegrityException(String message) {
    super(message);
  }
}
