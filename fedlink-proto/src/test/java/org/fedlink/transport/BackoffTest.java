package org.fedlink.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void spreadDrawsEachPauseBetweenOneMillisecondAndTheBase() {
    double[] draws = {0.0, 0.999_999, 0.5, 0.25};
    int[] i = {0};
    Backoff b =
        Backoff.withRandom(
            Duration.ofMillis(500), Duration.ofSeconds(10), true, () -> draws[i[0]++ % 4]);

    assertThat(b.nextDelayMs()).isEqualTo(1);
    assertThat(b.nextDelayMs()).isEqualTo(999);
    assertThat(b.nextDelayMs()).isEqualTo(1000);
    assertThat(b.nextDelayMs()).isEqualTo(1000);
    b.reset();
    assertThat(b.nextDelayMs()).isEqualTo(1);
  }

  @Test
  void spreadDoublesItsBaseUpToTheCap() {
    Backoff b =
        Backoff.withRandom(Duration.ofMillis(500), Duration.ofSeconds(10), true, () -> 0.999_999);
    long[] bases = {500, 1000, 2000, 4000, 8000, 10_000, 10_000};

    for (long base : bases) {
      assertThat(b.nextDelayMs()).isEqualTo(base - 1);
    }
  }

  @Test
  void proportionalJitterStaysWithinTwentyPercentWithAnInjectedSource() {
    Backoff low = Backoff.withRandom(Duration.ofSeconds(1), Duration.ofSeconds(1), false, () -> 0);
    Backoff high =
        Backoff.withRandom(Duration.ofSeconds(1), Duration.ofSeconds(1), false, () -> 0.999_999);

    assertThat(low.nextDelayMs()).isEqualTo(800);
    assertThat(high.nextDelayMs()).isEqualTo(1199);
  }

  /**
   * 10,000 nodes lose their SuperLink at the same instant and retry until it answers again, on
   * simulated time (every attempt before then fails at once, as a refused connection does). With
   * the proportional jitter the attempts reach the returned SuperLink in a wave; spread out they
   * reach it at a steadier rate (its busiest 100 ms holds at most two thirds of the wave's peak),
   * and every node is back within one capped pause (10 s) of the SuperLink's return.
   */
  @ParameterizedTest
  @ValueSource(longs = {4_000, 8_000, 13_000})
  void spreadTurnsAReconnectionStampedeIntoASteadierRate(long upAtMs) {
    Herd waves = herd(false, upAtMs);
    Herd spread = herd(true, upAtMs);

    assertThat(spread.peakPer100ms)
        .as("busiest 100 ms after the return: spread %s, waves %s", spread, waves)
        .isLessThanOrEqualTo(waves.peakPer100ms * 2 / 3);
    assertThat(spread.lastBackMs).isLessThanOrEqualTo(upAtMs + 10_000);
  }

  private record Herd(int peakPer100ms, long lastBackMs, long attempts) {}

  private static Herd herd(boolean spread, long upAtMs) {
    java.util.Random random = new java.util.Random(42);
    int nodes = 10_000;
    int[] perBucket = new int[1000];
    long lastBack = 0;
    long attempts = 0;
    for (int n = 0; n < nodes; n++) {
      Backoff b =
          Backoff.withRandom(
              Duration.ofMillis(500), Duration.ofSeconds(10), spread, random::nextDouble);
      long t = 0;
      while (true) {
        t += b.nextDelayMs();
        attempts++;
        if (t >= upAtMs) {
          perBucket[(int) Math.min(perBucket.length - 1, (t - upAtMs) / 100)]++;
          lastBack = Math.max(lastBack, t);
          break;
        }
      }
    }
    int peak = 0;
    for (int c : perBucket) {
      peak = Math.max(peak, c);
    }
    return new Herd(peak, lastBack, attempts);
  }
}
