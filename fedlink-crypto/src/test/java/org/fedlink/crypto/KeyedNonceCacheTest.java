package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyedNonceCacheTest {
  private static final long NOW = 1_760_000_000_000L;
  private static final Duration WINDOW = Duration.ofSeconds(60);

  @TempDir Path dir;
  private OpenSshPublicKey a;
  private OpenSshPublicKey b;

  @BeforeEach
  void keys() throws Exception {
    a = OpenSshKeys.generate(dir.resolve("a"), SshCurve.NISTP256, "a");
    b = OpenSshKeys.generate(dir.resolve("b"), SshCurve.NISTP256, "b");
  }

  private static byte[] nonce(int i) {
    byte[] n = new byte[16];
    n[0] = (byte) i;
    n[1] = (byte) (i >> 8);
    return n;
  }

  @Test
  void floodingKeyFillsOnlyItsOwnShare() {
    KeyedNonceCache cache = new KeyedNonceCache(10, WINDOW, KnownKeys.of(List.of(a, b)));
    assertThat(cache.share()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(cache.check(a.blob(), nonce(i), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    }
    assertThat(cache.check(a.blob(), nonce(99), NOW, NOW)).isEqualTo(NonceCheck.CACHE_FULL);
    for (int i = 0; i < 5; i++) {
      assertThat(cache.check(b.blob(), nonce(i), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    }
    assertThat(cache.size(a.blob())).isEqualTo(5);
    assertThat(cache.size(b.blob())).isEqualTo(5);
  }

  @Test
  void sameNonceFromTwoKeysIsNoReplayButFromOneKeyIs() {
    KeyedNonceCache cache = new KeyedNonceCache(10, WINDOW, KnownKeys.of(List.of(a, b)));
    assertThat(cache.check(a.blob(), nonce(1), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    assertThat(cache.check(b.blob(), nonce(1), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    assertThat(cache.check(a.blob(), nonce(1), NOW, NOW)).isEqualTo(NonceCheck.REPLAYED);
  }

  @Test
  void reloadReSharesTheCapacityAndKeepsUnexpiredNoncesOfRemovedKeys() {
    KeyedNonceCache cache = new KeyedNonceCache(10, WINDOW, KnownKeys.of(List.of(a, b)));
    assertThat(cache.check(b.blob(), nonce(1), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    cache.retain(KnownKeys.of(List.of(a)), NOW);
    assertThat(cache.share()).isEqualTo(10);
    // b's nonce is still remembered: b added back inside the window cannot replay it.
    assertThat(cache.size(b.blob())).isEqualTo(1);
    cache.retain(KnownKeys.of(List.of(a, b)), NOW);
    assertThat(cache.check(b.blob(), nonce(1), NOW, NOW + 1)).isEqualTo(NonceCheck.REPLAYED);
    // Once expired, a removed key's cache is dropped at the next reload.
    cache.retain(KnownKeys.of(List.of(a)), NOW + WINDOW.toMillis() * 3);
    assertThat(cache.size(b.blob())).isZero();
  }

  @Test
  void manyKeysKeepTheMinimumShare() {
    // 100 nonces split over two keys would be 50 each; the minimum share of 64 wins.
    KeyedNonceCache cache = new KeyedNonceCache(100, 64, WINDOW, KnownKeys.of(List.of(a, b)));
    assertThat(cache.share()).isEqualTo(64);
    for (int i = 0; i < 64; i++) {
      assertThat(cache.check(a.blob(), nonce(i), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
    }
    assertThat(cache.check(a.blob(), nonce(64), NOW, NOW)).isEqualTo(NonceCheck.CACHE_FULL);
    assertThat(cache.check(b.blob(), nonce(1), NOW, NOW)).isEqualTo(NonceCheck.FRESH);
  }
}
