package org.fedlink.superlink.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceTest {
  private static final long TIMEOUT = 1_000;
  private static final long T0 = 1_700_000_000_000L;

  private final Presence presence = new Presence(TIMEOUT);

  @Test
  void unknownNodeIsOfflineAndNeverSeen() {
    assertThat(presence.isOnline(7, T0)).isFalse();
    assertThat(presence.lastSeen(7)).isZero();
    assertThat(presence.newlyOffline(T0 + 10 * TIMEOUT)).isEmpty();
    assertThat(presence.timeoutMs()).isEqualTo(TIMEOUT);
  }

  @Test
  void nodeIsOnlineUpToTheTimeoutInclusive() {
    presence.seen(7, T0);

    assertThat(presence.lastSeen(7)).isEqualTo(T0);
    assertThat(presence.isOnline(7, T0)).isTrue();
    assertThat(presence.isOnline(7, T0 + TIMEOUT)).isTrue();
    assertThat(presence.isOnline(7, T0 + TIMEOUT + 1)).isFalse();
  }

  @Test
  void aNodeKnownFromBeforeARestartStaysOnlineDuringTheGrace() {
    presence.seen(7, T0);
    presence.grace(T0 + 100, T0 + 100 + 30 * TIMEOUT);

    assertThat(presence.isOnline(7, T0 + 20 * TIMEOUT)).isTrue();
    assertThat(presence.newlyOffline(T0 + 20 * TIMEOUT)).isEmpty();
    assertThat(presence.isOnline(7, T0 + 100 + 30 * TIMEOUT)).isFalse();
    assertThat(presence.newlyOffline(T0 + 100 + 30 * TIMEOUT)).containsExactly(7L);
  }

  @Test
  void aNodeSeenAfterTheRestartGetsTheNormalTimeoutDespiteTheGrace() {
    presence.grace(T0, T0 + 30 * TIMEOUT);
    presence.seen(8, T0 + 1);

    assertThat(presence.isOnline(8, T0 + 1 + TIMEOUT + 1)).isFalse();
    assertThat(presence.newlyOffline(T0 + 1 + TIMEOUT + 1)).containsExactly(8L);
  }

  @Test
  void goingOfflineIsReportedOnce() {
    presence.seen(7, T0);

    assertThat(presence.newlyOffline(T0 + TIMEOUT)).isEmpty();
    assertThat(presence.newlyOffline(T0 + TIMEOUT + 1)).containsExactly(7L);
    assertThat(presence.newlyOffline(T0 + TIMEOUT + 2)).isEmpty();
    assertThat(presence.newlyOffline(T0 + 100 * TIMEOUT)).isEmpty();
  }

  @Test
  void onlySilentNodesAreReported() {
    presence.seen(1, T0);
    presence.seen(2, T0 + 500);
    presence.seen(3, T0 + 900);

    assertThat(presence.newlyOffline(T0 + 1_600)).containsExactlyInAnyOrder(1L, 2L);
    assertThat(presence.isOnline(3, T0 + 1_600)).isTrue();
    assertThat(presence.newlyOffline(T0 + 1_901)).containsExactly(3L);
  }

  @Test
  void seenRevivesAnOfflineNodeAndANewSilenceIsReportedAgain() {
    presence.seen(7, T0);
    assertThat(presence.newlyOffline(T0 + 2 * TIMEOUT)).containsExactly(7L);

    presence.seen(7, T0 + 3 * TIMEOUT);

    assertThat(presence.isOnline(7, T0 + 3 * TIMEOUT)).isTrue();
    assertThat(presence.newlyOffline(T0 + 3 * TIMEOUT + 1)).isEmpty();
    assertThat(presence.newlyOffline(T0 + 5 * TIMEOUT)).containsExactly(7L);
  }

  @Test
  void lastSeenNeverMovesBackwards() {
    presence.seen(7, T0 + 500);
    presence.seen(7, T0);

    assertThat(presence.lastSeen(7)).isEqualTo(T0 + 500);
    assertThat(presence.isOnline(7, T0 + 1_400)).isTrue();
  }

  @Test
  void forgottenNodeIsGoneAndNotReported() {
    presence.seen(7, T0);

    presence.forget(7);

    assertThat(presence.lastSeen(7)).isZero();
    assertThat(presence.isOnline(7, T0)).isFalse();
    assertThat(presence.newlyOffline(T0 + 2 * TIMEOUT)).isEmpty();
    assertThat(presence.snapshot()).doesNotContainKey(7L);
  }

  @Test
  void snapshotIsACopy() {
    presence.seen(1, T0);
    Map<Long, Long> snapshot = presence.snapshot();

    presence.seen(2, T0 + 1);
    presence.seen(1, T0 + 2);

    assertThat(snapshot).containsExactly(Map.entry(1L, T0));
    assertThat(presence.snapshot()).containsOnly(Map.entry(1L, T0 + 2), Map.entry(2L, T0 + 1));
  }
}
