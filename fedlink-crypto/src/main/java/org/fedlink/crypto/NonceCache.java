package org.fedlink.crypto;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Remembers the nonces of accepted requests for as long as their timestamps are acceptable, so a
 * captured request cannot be replayed.
 *
 * <p>A timestamp is acceptable when it lies within {@code window} of the current time (both edges
 * inclusive). A nonce is remembered until its timestamp has left the window; after that the
 * timestamp check alone refuses a replay. The current time never moves backwards inside the cache:
 * a caller passing an earlier {@code nowMillis} than one seen before is judged against the latest
 * time seen, so evicted nonces cannot come back. When {@code capacity} unexpired nonces are held,
 * new ones are refused ({@link NonceCheck#CACHE_FULL}) rather than forgetting one.
 *
 * <p>Thread-safe: all methods are synchronized on the cache; each check is O(log n).
 */
public final class NonceCache {
  /** Default acceptance window: 60 seconds either side of now. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  /** Default capacity: enough for about 1,600 requests per second over a 60 s window. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private final long windowMillis;
  private int capacity;
  private final Map<ByteBuffer, Long> expiryByNonce = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>();
  private long latestNow = Long.MIN_VALUE;

  /** Creates a cache with {@link #DEFAULT_CAPACITY} and {@link #DEFAULT_WINDOW}. */
  public NonceCache() {
    this(DEFAULT_CAPACITY, DEFAULT_WINDOW);
  }

  /**
   * Creates a cache.
   *
   * @param capacity maximum number of unexpired nonces held, at least 1
   * @param window how far a timestamp may be from now, positive and at most one day
   * @throws IllegalArgumentException if a value is out of range
   */
  public NonceCache(int capacity, Duration window) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
    }
    if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "window " + window + " must be positive and at most 1 day (PT24H)");
    }
    this.capacity = capacity;
    this.windowMillis = window.toMillis();
  }

  /**
   * Checks a request's timestamp and nonce and, if both are acceptable, remembers the nonce.
   *
   * @param nonce the request's nonce (copied; not modified)
   * @param timestampMillis the request's timestamp, epoch milliseconds
   * @param nowMillis the receiver's current time, epoch milliseconds
   * @return {@link NonceCheck#FRESH} if accepted, otherwise the reason for refusal
   */
  public synchronized NonceCheck check(byte[] nonce, long timestampMillis, long nowMillis) {
    latestNow = Math.max(latestNow, nowMillis);
    if (timestampMillis > nowMillis + windowMillis) {
      return NonceCheck.FUTURE;
    }
    if (timestampMillis < latestNow - windowMillis) {
      return NonceCheck.STALE;
    }
    evictExpired();
    ByteBuffer key = ByteBuffer.wrap(nonce.clone());
    if (expiryByNonce.containsKey(key)) {
      return NonceCheck.REPLAYED;
    }
    if (expiryByNonce.size() >= capacity) {
      return NonceCheck.CACHE_FULL;
    }
    long expiry = timestampMillis + windowMillis;
    expiryByNonce.put(key, expiry);
    byExpiry.add(new Entry(expiry, key));
    return NonceCheck.FRESH;
  }

  /** Returns whether the nonce is accepted: {@code check(...) == FRESH}. */
  public boolean firstSeen(byte[] nonce, long timestampMillis, long nowMillis) {
    return check(nonce, timestampMillis, nowMillis) == NonceCheck.FRESH;
  }

  /** Returns the number of nonces held, after dropping those expired at the latest time seen. */
  public synchronized int size() {
    evictExpired();
    return expiryByNonce.size();
  }

  /** Returns the number of nonces held once those expired at {@code nowMillis} are dropped. */
  synchronized int sizeAt(long nowMillis) {
    latestNow = Math.max(latestNow, nowMillis);
    evictExpired();
    return expiryByNonce.size();
  }

  /** Returns the acceptance window. */
  public Duration window() {
    return Duration.ofMillis(windowMillis);
  }

  /** Returns the capacity. */
  public synchronized int capacity() {
    return capacity;
  }

  /**
   * Changes the capacity (e.g. a key's share when the number of keys changes). Shrinking below the
   * nonces held forgets none: new ones are refused until enough have expired.
   *
   * @throws IllegalArgumentException if {@code capacity} is below 1
   */
  synchronized void resize(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
    }
    this.capacity = capacity;
  }

  private void evictExpired() {
    // A nonce whose timestamp has left the window can only come back with a stale timestamp.
    while (!byExpiry.isEmpty() && byExpiry.peek().expiry < latestNow) {
      expiryByNonce.remove(byExpiry.poll().nonce);
    }
  }

  private static final class Entry implements Comparable<Entry> {
    final long expiry;
    final ByteBuffer nonce;

    Entry(long expiry, ByteBuffer nonce) {
      this.expiry = expiry;
      this.nonce = nonce;
    }

    @Override
    public int compareTo(Entry o) {
      return Long.compare(expiry, o.expiry);
    }
  }
}
