package org.fedlink.superlink.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedlink.crypto.OpenSshPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the SuperLink's key lists current: every {@value #POLL_MILLIS} ms it polls each known-keys
 * file (a change applies once seen twice, so within about a second) and the {@link ReloadRequest}
 * file (which forces an immediate re-read). Removed node keys are handed to {@code onRemoved} at
 * once and again one poll later, so a call verified just before the reload cannot keep a task
 * stream open. Thread-safe; {@link #close()} stops it.
 */
public final class KeysWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeysWatcher.class);

  /** Poll period in milliseconds. */
  public static final long POLL_MILLIS = 500;

  private final SuperLinkAuthentication auth;
  private final Path home;
  private final Consumer<List<OpenSshPublicKey>> onRemoved;
  private final ScheduledExecutorService timer;
  private List<OpenSshPublicKey> removedLastPoll = List.of();

  /**
   * Creates a watcher; call {@link #start()}.
   *
   * @param home the SuperLink's home, where {@link ReloadRequest} files appear
   * @param onRemoved receives the node keys that were removed (to close their nodes' streams)
   */
  public KeysWatcher(
      SuperLinkAuthentication auth, Path home, Consumer<List<OpenSshPublicKey>> onRemoved) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.home = Objects.requireNonNull(home, "home");
    this.onRemoved = Objects.requireNonNull(onRemoved, "onRemoved");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "superlink-keys-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts polling. */
  public KeysWatcher start() {
    timer.scheduleWithFixedDelay(this::pollSafely, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      log.error("checking the known-keys files failed", e);
    }
  }

  /** One poll: applies changed files or a pending reload request. */
  synchronized void poll() {
    boolean forced = ReloadRequest.take(home);
    if (forced) {
      log.info("reload of the known-keys files requested");
    }
    List<OpenSshPublicKey> removed = new ArrayList<>(removedLastPoll);
    List<OpenSshPublicKey> now = forced ? auth.nodeKeys().reload() : auth.nodeKeys().poll();
    removed.addAll(now);
    KnownKeysList researchers = auth.researcherKeys();
    if (researchers != null) {
      if (forced) {
        researchers.reload();
      } else {
        researchers.poll();
      }
    }
    removedLastPoll = now;
    if (!removed.isEmpty()) {
      onRemoved.accept(removed);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
