package org.fedlink.testing.netns;

import java.time.Duration;
import java.util.Optional;

/**
 * Shapes the link of each host of an {@link EmulatedNetwork}: a delay and a random loss rate in
 * each direction, and a cut that drops everything until the link is restored. Changes apply at
 * once, while traffic flows. Implementations are thread-safe.
 */
public interface LinkShaper extends AutoCloseable {
  /** What shapes the links, for a test's output: the kernel's netem or the user-space emulator. */
  String mechanism();

  /**
   * Gives the host's link {@code oneWayDelay} and {@code loss} (0 to 1) in each direction: a round
   * trip between two hosts crosses two links, so it waits the sum of both delays twice.
   */
  void shape(String host, Duration oneWayDelay, double loss);

  /** Drops every packet to and from the host, also those already on their way. */
  void cut(String host);

  /** Ends a {@link #cut}: the link carries packets again, shaped as before. */
  void restore(String host);

  /** Frames the host's link carried and lost so far, when the mechanism counts them. */
  Optional<LinkStats> stats(String host);

  /** Frames seen on one link, both directions ("up": from the host, "down": to it). */
  record LinkStats(long framesUp, long lostUp, long framesDown, long lostDown, long cutDropped) {}

  @Override
  void close();
}
