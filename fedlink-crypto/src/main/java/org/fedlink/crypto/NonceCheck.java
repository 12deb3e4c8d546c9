package org.fedlink.crypto;

/** The outcome of {@link NonceCache#check}: accepted, or the exact reason for refusal. */
public enum NonceCheck {
  /** First use of the nonce inside the window: accept the request. */
  FRESH,
  /** The nonce was already used inside the window: a replay. */
  REPLAYED,
  /** The timestamp is older than the window allows. */
  STALE,
  /** The timestamp is further in the future than the window allows. */
  FUTURE,
  /** The cache is full of unexpired nonces; refused rather than forgetting one (fail closed). */
  CACHE_FULL;

  /** Returns whether the request may proceed. */
  public boolean accepted() {
    return this == FRESH;
  }
}
