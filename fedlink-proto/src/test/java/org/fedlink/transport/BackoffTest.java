package org.fedlink.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final int SAMPLES = 200;

  /** Asserts that the delay is the base within the documented +/-20% jitter. */
  private static void assertAround(long delay, long base) {
    assertThat(delay).isBetween((long) (base * 0.8), (long) Math.ceil(base * 1.2));
  }

  @Test
  void firstDelayIsTheInitialPauseWithJitter() {
    for (int i = 0; i < SAMPLES; i++) {
      Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(30));

      assertAround(b.nextDelayMs(), 1000);
    }
  }

  @Test
  void doublesUpToTheCapAndStaysThere() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    long[] bases = {100, 200, 400, 800, 1000, 1000, 1000};

    for (long base : bases) {
      assertAround(b.nextDelayMs(), base);
    }
  }

  @Test
  void neverExceedsCapPlusJitter() {
    Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofMillis(800));
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(b.nextDelayMs()).isBetween(1L, 960L);
    }
  }

  @Test
  void resetReturnsToTheInitialPause() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      b.nextDelayMs();
    }

    b.reset();

    assertAround(b.nextDelayMs(), 100);
    assertAround(b.nextDelayMs(), 200);
  }

  @Test
  void jitterActuallyVaries() {
    Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10));
    long first = b.nextDelayMs();
    boolean varied = false;
    for (int i = 0; i < SAMPLES && !varied; i++) {
      varied = b.nextDelayMs() != first;
    }

    assertThat(varied).isTrue();
  }

  @Test
  void capBelowInitialIsRaisedToInitialAndZeroInitialToOneMillisecond() {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofMillis(10));
    for (int i = 0; i < 5; i++) {
      assertAround(b.nextDelayMs(), 500);
    }

    Backoff zero = new Backoff(Duration.ZERO, Duration.ZERO);
    assertThat(zero.nextDelayMs()).isEqualTo(1);
  }

  @Test
  void pauseSleepsAndReturnsThePause() throws InterruptedException {
    Backoff b = new Backoff(Duration.ofMillis(5), Duration.ofMillis(5));
    long start = System.nanoTime();

    long pause = b.pause();

    assertThat(pause).isBetween(4L, 6L);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(pause - 1);
  }
}
