package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class NonceCacheTest {
  private static final long NOW = 1_760_000_000_000L;
  private static final long W = 60_000L;

  @Test
  void rejectsReplayedNonce() {
    NonceCache cache = new NonceCache();
    assertThat(cache.check(nonce(1), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    assertThat(cache.check(nonce(1), NOW, NOW + 10)).isEqualTo(NonceCheck.REPLAYED);
    assertThat(cache.check(nonce(1), NOW - 5_000, NOW + 10)).isEqualTo(NonceCheck.REPLAYED);
    assertThat(cache.firstSeen(nonce(2), NOW, NOW)).isTrue();
    assertThat(cache.firstSeen(nonce(2), NOW, NOW)).isFalse();
  }

  @Test
  void acceptsBothWindowEdgesAndDistinguishesStaleFromFuture() {
    NonceCache cache = new NonceCache();
    assertThat(cache.window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(cache.check(nonce(1), NOW - W, NOW)).isEqualTo(NonceCheck.FRESH);
    assertThat(cache.check(nonce(2), NOW + W, NOW)).isEqualTo(NonceCheck.FRESH);
    assertThat(cache.check(nonce(3), NOW - W - 1, NOW)).isEqualTo(NonceCheck.STALE);
    assertThat(cache.check(nonce(4), NOW + W + 1, NOW)).isEqualTo(NonceCheck.FUTURE);
    assertThat(cache.check(nonce(5), Long.MAX_VALUE, NOW)).isEqualTo(NonceCheck.FUTURE);
    assertThat(cache.check(nonce(6), Long.MIN_VALUE, NOW)).isEqualTo(NonceCheck.STALE);
    assertThat(NonceCheck.FRESH.accepted()).isTrue();
    assertThat(NonceCheck.STALE.accepted()).isFalse();
  }

  @Test
  void refusedRequestsAreNotRemembered() {
    NonceCache cache = new NonceCache();
    assertThat(cache.check(nonce(1), NOW + W + 1, NOW)).isEqualTo(NonceCheck.FUTURE);
    assertThat(cache.size()).isZero();
    assertThat(cache.check(nonce(1), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
  }

  @Test
  void evictsNoncesOnceTheirTimestampLeavesTheWindow() {
    NonceCache cache = new NonceCache(10, Duration.ofMillis(W));
    cache.check(nonce(1), NOW, NOW);
    cache.check(nonce(2), NOW + 1_000, NOW);
    assertThat(cache.size()).isEqualTo(2);
    cache.check(nonce(3), NOW + W, NOW + W);
    assertThat(cache.size()).isEqualTo(3);
    cache.check(nonce(4), NOW + W + 1, NOW + W + 1);
    assertThat(cache.size()).isEqualTo(3);
    // The evicted nonce can only come back with a timestamp that is now stale.
    assertThat(cache.check(nonce(1), NOW, NOW + W + 1)).isEqualTo(NonceCheck.STALE);
  }

  @Test
  void clockGoingBackwardsCannotResurrectEvictedNonces() {
    NonceCache cache = new NonceCache(10, Duration.ofMillis(W));
    cache.check(nonce(1), NOW, NOW);
    cache.check(nonce(2), NOW + 2 * W, NOW + 2 * W);
    assertThat(cache.check(nonce(1), NOW, NOW)).isEqualTo(NonceCheck.STALE);
  }

  @Test
  void failsClosedWhenFullOfUnexpiredNonces() {
    NonceCache cache = new NonceCache(3, Duration.ofMillis(W));
    for (int i = 0; i < 3; i++) {
      assertThat(cache.check(nonce(i), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    }
    assertThat(cache.check(nonce(99), NOW, NOW)).isEqualTo(NonceCheck.CACHE_FULL);
    assertThat(cache.check(nonce(0), NOW, NOW)).isEqualTo(NonceCheck.REPLAYED);
    assertThat(cache.check(nonce(99), NOW + W + 1, NOW + W + 1)).isEqualTo(NonceCheck.FRESH);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void copiesTheNonceSoCallerMutationDoesNotMatter() {
    NonceCache cache = new NonceCache();
    byte[] n = nonce(7);
    cache.check(n, NOW, NOW);
    n[0] ^= 1;
    assertThat(cache.check(nonce(7), NOW, NOW)).isEqualTo(NonceCheck.REPLAYED);
  }

  @Test
  void acceptsEachNonceExactlyOnceUnderConcurrency() throws Exception {
    NonceCache cache = new NonceCache(100_000, Duration.ofMillis(W));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(
            () -> {
              int fresh = 0;
              for (int i = 0; i < 5_000; i++) {
                if (cache.firstSeen(nonce(i), NOW, NOW)) {
                  fresh++;
                }
              }
              return fresh;
            });
      }
      int total = 0;
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        total += f.get();
      }
      assertThat(total).isEqualTo(5_000);
      assertThat(cache.size()).isEqualTo(5_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void validatesConfiguration() {
    assertThatThrownBy(() -> new NonceCache(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity 0");
    assertThatThrownBy(() -> new NonceCache(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> new NonceCache(1, Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] nonce(int i) {
    byte[] b = new byte[16];
    b[0] = (byte) i;
    b[1] = (byte) (i >>> 8);
    b[15] = 42;
    return b;
  }
}
