package org.fedlink.crypto;

/**
 * Why {@link TokenVerifier} refused a request. The peer only ever learns "access denied"; the
 * reason is for the server's log.
 */
public enum RejectionReason {
  /** A metadata value is missing or cannot be parsed (key line, timestamp, nonce, token). */
  MALFORMED,
  /** The public key is not in the known keys, or cannot agree a key with the server's curve. */
  UNKNOWN_KEY,
  /** The token does not match the request under the key shared with that public key. */
  BAD_HMAC,
  /** The timestamp is older than the replay window allows. */
  STALE_TIMESTAMP,
  /** The timestamp is further ahead than the replay window allows. */
  FUTURE_TIMESTAMP,
  /** The nonce was already used inside the window. */
  REPLAYED_NONCE,
  /** The replay cache is full of unexpired nonces, so the request cannot be checked. */
  REPLAY_CACHE_FULL
}
