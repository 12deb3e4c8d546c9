package org.fedlink.console;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Locks the console's login after {@code maxFailures} wrong passwords in a row, for {@code
 * lockout}; while locked every attempt is refused, the right password too. A success resets the
 * count. Time comes from the injected clock. Thread-safe.
 */
final class LoginGuard {
  private final InstantSource clock;
  private final int maxFailures;
  private final Duration lockout;
  private int failures;
  private Instant lockedUntil = Instant.MIN;

  LoginGuard(InstantSource clock, int maxFailures, Duration lockout) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxFailures = maxFailures;
    this.lockout = Objects.requireNonNull(lockout, "lockout");
  }

  /** When the lock ends, if the login is locked now. */
  synchronized Optional<Instant> lockedUntil() {
    Instant now = clock.instant();
    return now.isBefore(lockedUntil) ? Optional.of(lockedUntil) : Optional.empty();
  }

  /**
   * Records a wrong password.
   *
   * @return true if this failure locked the login
   */
  synchronized boolean failed() {
    failures++;
    if (failures >= maxFailures) {
      failures = 0;
      lockedUntil = clock.instant().plus(lockout);
      return true;
    }
    return false;
  }

  synchronized void succeeded() {
    failures = 0;
  }
}
