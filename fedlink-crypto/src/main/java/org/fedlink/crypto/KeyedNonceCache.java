package org.fedlink.crypto;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link NonceCache} per public key, so that a key which floods requests fills only its own
 * share and never makes another key's requests fail.
 *
 * <p>The total capacity bounds the memory of all shares together: each listed key gets {@code
 * totalCapacity / number of listed keys} unexpired nonces, but never fewer than the minimum share
 * (1 unless given): with thousands of keys an even split of the total would leave each key fewer
 * nonces than its normal calls need within one window (a node heartbeating every 5 s sends 12 a
 * minute), and its calls would be refused. The memory bound is then the minimum share times the
 * number of listed keys, which the operator's key list decides. {@link #retain} is called with the
 * new key list on every reload: shares are recomputed, and the caches of keys no longer listed are
 * kept while they still hold unexpired nonces (so a key removed and added back cannot replay a
 * captured request) and dropped once empty.
 *
 * <p>Thread-safe: each key's cache is synchronized on itself; keys never wait for each other.
 */
public final class KeyedNonceCache {
  /**
   * A minimum share that covers a node's calls within a 60 s window (12 heartbeats a minute at the
   * default interval, its registration, subscriptions and a few rounds' results) with room to
   * spare.
   */
  public static final int NODE_MIN_SHARE = 128;

  private final int totalCapacity;
  private final int minShare;
  private final Duration window;
  private final ConcurrentHashMap<ByteBuffer, NonceCache> byKey = new ConcurrentHashMap<>();
  private volatile int share;

  /**
   * Creates the caches for a list of keys.
   *
   * @param totalCapacity unexpired nonces held for all keys together, at least 1
   * @param window how far a timestamp may be from now, positive and at most one day
   * @param keys the keys listed now
   * @throws IllegalArgumentException if a value is out of range
   */
  public KeyedNonceCache(int totalCapacity, Duration window, KnownKeys keys) {
    this(totalCapacity, 1, window, keys);
  }

  /**
   * Creates the caches for a list of keys, each key holding at least {@code minShare} nonces
   * whatever the number of keys.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public KeyedNonceCache(int totalCapacity, int minShare, Duration window, KnownKeys keys) {
    new NonceCache(totalCapacity, window); // validates both values with the usual messages
    if (minShare < 1) {
      throw new IllegalArgumentException("minimum share " + minShare + " must be at least 1");
    }
    this.totalCapacity = totalCapacity;
    this.minShare = minShare;
    this.window = window;
    this.share = shareOf(keys.size());
  }

  /**
   * Checks a request of {@code keyBlob} against that key's cache, and remembers the nonce if
   * accepted (see {@link NonceCache#check}). {@link NonceCheck#CACHE_FULL} means this key's share
   * is full; other keys are unaffected.
   */
  public NonceCheck check(byte[] keyBlob, byte[] nonce, long timestampMillis, long nowMillis) {
    NonceCache cache =
        byKey.computeIfAbsent(ByteBuffer.wrap(keyBlob.clone()), k -> new NonceCache(share, window));
    return cache.check(nonce, timestampMillis, nowMillis);
  }

  /**
   * Applies a new key list: recomputes the share and drops the caches of unlisted keys that hold no
   * nonce unexpired at {@code nowMillis}.
   */
  public void retain(KnownKeys keys, long nowMillis) {
    int next = shareOf(keys.size());
    share = next;
    Set<ByteBuffer> listed = new HashSet<>();
    for (OpenSshPublicKey k : keys.keys()) {
      listed.add(ByteBuffer.wrap(k.blob()));
    }
    byKey.forEach(
        (key, cache) -> {
          cache.resize(next);
          if (!listed.contains(key) && cache.sizeAt(nowMillis) == 0) {
            byKey.remove(key, cache);
          }
        });
  }

  /** Unexpired nonces each listed key may hold. */
  public int share() {
    return share;
  }

  /** Unexpired nonces all keys together may hold. */
  public int capacity() {
    return totalCapacity;
  }

  public Duration window() {
    return window;
  }

  /** Unexpired nonces held for this key (0 if none). */
  public int size(byte[] keyBlob) {
    NonceCache cache = byKey.get(ByteBuffer.wrap(keyBlob));
    return cache == null ? 0 : cache.size();
  }

  private int shareOf(int keys) {
    return Math.max(minShare, totalCapacity / Math.max(1, keys));
  }
}
