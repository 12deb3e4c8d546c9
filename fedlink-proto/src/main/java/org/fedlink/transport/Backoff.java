package org.fedlink.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for reconnecting to a SuperLink that went away: the project's one
 * retry policy. The base pause starts at {@code initial} and doubles after each attempt up to
 * {@code max}; the pause taken is drawn around it:
 *
 * <ul>
 *   <li>{@link #Backoff(Duration, Duration)}: the base within +/-20%, for one caller retrying its
 *       own call;
 *   <li>{@link #spread(Duration, Duration)}: anywhere between 0 and the base ("full jitter"), for
 *       many callers that fail at the same moment (every node of a federation when its SuperLink
 *       restarts): their attempts are spread evenly over each interval instead of arriving in waves
 *       a few hundred milliseconds wide, and the SuperLink sees a steady rate it can serve.
 * </ul>
 *
 * Not thread-safe: one instance per retry loop.
 */
public final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private final boolean spread;
  private final DoubleSupplier random;
  private long nextMs;

  /** Backoff from {@code initial}, doubling up to {@code max}, each pause within +/-20%. */
  public Backoff(Duration initial, Duration max) {
    this(initial, max, false, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Backoff for callers that fail together: from {@code initial}, doubling up to {@code max}, each
   * pause drawn evenly between 1 ms and the base.
   */
  public static Backoff spread(Duration initial, Duration max) {
    return new Backoff(initial, max, true, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** A backoff drawing its jitter from {@code random} (values in [0, 1)), for tests. */
  static Backoff withRandom(Duration initial, Duration max, boolean spread, DoubleSupplier random) {
    return new Backoff(initial, max, spread, random);
  }

  private Backoff(Duration initial, Duration max, boolean spread, DoubleSupplier random) {
    this.initialMs = Math.max(1, initial.toMillis());
    this.maxMs = Math.max(initialMs, max.toMillis());
    this.nextMs = initialMs;
    this.spread = spread;
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * The pause before the next attempt (with jitter, as the constructor chose); doubles the
   * following one's base.
   */
  public long nextDelayMs() {
    long base = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    double r = random.getAsDouble();
    double jitter = spread ? r : 0.8 + 0.4 * r;
    return Math.max(1, (long) (base * jitter));
  }

  /** Sleeps for {@link #nextDelayMs()}; returns the pause taken. */
  public long pause() throws InterruptedException {
    long d = nextDelayMs();
    Thread.sleep(d);
    return d;
  }

  /** Back to the initial pause after a success. */
  public void reset() {
    nextMs = initialMs;
  }
}
