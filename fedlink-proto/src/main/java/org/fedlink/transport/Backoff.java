package org.fedlink.transport;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for reconnecting to a SuperLink that went away. Not thread-safe:
 * one instance per retry loop.
 */
public final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private long nextMs;

  /** Backoff from {@code initial}, doubling up to {@code max}. */
  public Backoff(Duration initial, Duration max) {
    this.initialMs = Math.max(1, initial.toMillis());
    this.maxMs = Math.max(initialMs, max.toMillis());
    this.nextMs = initialMs;
  }

  /** The pause before the next attempt (with +/-20% jitter); doubles the following one. */
  public long nextDelayMs() {
    long base = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
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
