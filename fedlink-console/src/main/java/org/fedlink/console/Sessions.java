package org.fedlink.console;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory only (a restart logs everyone out): a random 256-bit id (the
 * cookie) and a separate random CSRF token each form carries. A session unused for {@code idle}
 * ends. Logging in replaces the session, so an id set before login is worthless after it.
 * Thread-safe.
 */
final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One browser's session. */
  static final class Session {
    final String id;
    final String csrf;
    final boolean authenticated;
    volatile long lastUsedMs;
    volatile String flash;
    volatile boolean flashIsError;

    Session(String id, String csrf, boolean authenticated, long nowMs) {
      this.id = id;
      this.csrf = csrf;
      this.authenticated = authenticated;
      this.lastUsedMs = nowMs;
    }

    /** Takes the message to show once. */
    String takeFlash() {
      String f = flash;
      flash = null;
      return f;
    }

    void flash(String message, boolean error) {
      this.flash = message;
      this.flashIsError = error;
    }
  }

  private final InstantSource clock;
  private final Duration idle;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Sessions(InstantSource clock, Duration idle) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idle = Objects.requireNonNull(idle, "idle");
  }

  /** The live session of this id, touched. */
  Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (now - s.lastUsedMs > idle.toMillis()) {
      sessions.remove(id);
      return Optional.empty();
    }
    s.lastUsedMs = now;
    return Optional.of(s);
  }

  /** A new session; {@code replaced} (if any) ends. */
  Session open(boolean authenticated, Session replaced) {
    if (replaced != null) {
      sessions.remove(replaced.id);
    }
    long now = clock.millis();
    sessions.values().removeIf(s -> now - s.lastUsedMs > idle.toMillis());
    Session s = new Session(random(), random(), authenticated, now);
    sessions.put(s.id, s);
    return s;
  }

  void close(Session s) {
    sessions.remove(s.id);
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
