package org.fedlink.superlink.auth;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedlink.crypto.KeySeal;
import org.fedlink.crypto.KnownKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.SharedKeys;
import org.fedlink.superlink.state.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the keys the SuperLink shares with its listed nodes and researchers ready before their
 * calls arrive, so that a restart of a large federation does not run one key agreement per node
 * while every node reconnects at once.
 *
 * <p>{@link #open} restores, before the SuperLink listens, each listed key's shared key from its
 * sealed copy in the state ({@link KeySeal}: AES-256-GCM under a key only the SuperLink's private
 * key yields; never the key in clear), and removes sealed copies of keys no longer listed or made
 * under another SuperLink key. A thread of its own then derives the listed keys that have no copy
 * yet, the nodes already registered first, and every key derived (ahead or on a first call) is
 * sealed and saved in batches, once a second. Keys added by a reload of a known-keys file are
 * derived ahead the same way. Nothing here is needed for correctness: a key not ready is derived on
 * its first call, as before. Thread-safe; {@link #close()} saves what is pending and stops.
 */
public final class SharedKeyStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedKeyStore.class);

  /** How often derived keys are saved and reloaded lists checked for new keys, in ms. */
  static final long FLUSH_MILLIS = 1000;

  private final LinkState state;
  private final KeySeal seal;
  private final List<KnownKeysList> lists;
  private final ConcurrentHashMap<String, byte[]> pending = new ConcurrentHashMap<>();
  private final Map<KnownKeysList, KnownKeys> warmed = new IdentityHashMap<>();
  private final ScheduledExecutorService worker;
  private volatile boolean saveFailed;
  private int restored;

  private SharedKeyStore(LinkState state, KeySeal seal, List<KnownKeysList> lists) {
    this.state = state;
    this.seal = seal;
    this.lists = lists;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "superlink-shared-keys");
              t.setDaemon(true);
              t.setPriority(Thread.MIN_PRIORITY);
              return t;
            });
  }

  /**
   * Restores the sealed shared keys of the listed keys now, then derives the others ahead on a
   * thread of its own.
   *
   * @param registered fingerprints of the registered nodes, derived ahead before other listed keys
   */
  public static SharedKeyStore open(
      LinkState state, SuperLinkAuthentication auth, Set<String> registered) {
    Objects.requireNonNull(state, "state");
    List<KnownKeysList> lists = new ArrayList<>();
    lists.add(auth.nodeKeys());
    if (auth.researcherKeys() != null) {
      lists.add(auth.researcherKeys());
    }
    SharedKeyStore store = new SharedKeyStore(state, auth.keySeal(), lists);
    store.restore();
    for (KnownKeysList list : lists) {
      list.verifier().sharedKeys().onDerived(store::derived);
    }
    store.worker.execute(() -> store.deriveAhead(Objects.requireNonNull(registered)));
    store.worker.scheduleWithFixedDelay(
        store::tick, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    return store;
  }

  /** Shared keys restored from their sealed copies at {@link #open}. */
  public int restored() {
    return restored;
  }

  private void restore() {
    long start = System.nanoTime();
    Map<String, byte[]> sealed = state.sealedSharedKeys(seal.owner());
    Set<String> listed = ConcurrentHashMap.newKeySet();
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    for (KnownKeysList list : lists) {
      SharedKeys keys = list.verifier().sharedKeys();
      // On every core: nothing else runs before the port listens, and 10,000 keys take seconds
      // on one cold core.
      list.keys().keys().parallelStream()
          .forEach(
              k -> {
                String fingerprint = k.fingerprint();
                listed.add(fingerprint);
                byte[] copy = sealed.get(fingerprint);
                if (copy == null) {
                  return;
                }
                try {
                  byte[] key = seal.open(k, copy);
                  keys.restore(k, key);
                  Arrays.fill(key, (byte) 0);
                  opened.incrementAndGet();
                } catch (GeneralSecurityException e) {
                  // Derived again on first use, and the copy replaced.
                  refused.incrementAndGet();
                }
              });
    }
    restored = opened.get();
    int removed = state.retainSealedSharedKeys(seal.owner(), listed);
    if (refused.get() > 0) {
      log.warn(
          "{} sealed shared keys in the state do not open under SuperLink key {}: derived again",
          refused.get(),
          seal.owner());
    }
    log.info(
        "shared keys: {} of {} listed keys restored from the state in {} ms ({} sealed copies of"
            + " keys no longer listed or of another SuperLink key removed)",
        restored,
        listed.size(),
        (System.nanoTime() - start) / 1_000_000,
        removed);
  }

  private void derived(OpenSshPublicKey peer, byte[] key) {
    pending.put(peer.fingerprint(), seal.seal(peer, key));
  }

  private void deriveAhead(Set<String> registered) {
    try {
      long start = System.nanoTime();
      int derived = 0;
      for (KnownKeysList list : lists) {
        KnownKeys keys = list.keys();
        List<OpenSshPublicKey> order = new ArrayList<>();
        List<OpenSshPublicKey> later = new ArrayList<>();
        for (OpenSshPublicKey k : keys.keys()) {
          (registered.contains(k.fingerprint()) ? order : later).add(k);
        }
        order.addAll(later);
        derived += derive(list.verifier().sharedKeys(), order);
        synchronized (warmed) {
          warmed.put(list, keys);
        }
      }
      if (derived > 0) {
        log.info(
            "shared keys: {} derived ahead of their first call in {} ms",
            derived,
            (System.nanoTime() - start) / 1_000_000);
      }
      flush();
    } catch (RuntimeException e) {
      log.error("deriving shared keys ahead failed; they are derived on first use", e);
    }
  }

  private int derive(SharedKeys keys, List<OpenSshPublicKey> order) {
    int derived = 0;
    for (OpenSshPublicKey k : order) {
      if (worker.isShutdown()) {
        break;
      }
      if (keys.contains(k)) {
        continue;
      }
      try {
        keys.derive(k);
        derived++;
      } catch (java.security.InvalidKeyException e) {
        // Refused on its first call with the reason logged there.
        continue;
      }
      if (pending.size() >= 512) {
        flush();
      }
    }
    return derived;
  }

  private void tick() {
    try {
      for (KnownKeysList list : lists) {
        KnownKeys now = list.keys();
        KnownKeys before;
        synchronized (warmed) {
          before = warmed.get(list);
        }
        if (before != null && before != now) {
          synchronized (warmed) {
            warmed.put(list, now);
          }
          derive(list.verifier().sharedKeys(), now.keys());
        }
      }
      flush();
    } catch (RuntimeException e) {
      log.error("saving shared keys failed", e);
    }
  }

  private synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, byte[]> batch = new HashMap<>();
    for (String fingerprint : new ArrayList<>(pending.keySet())) {
      byte[] sealed = pending.remove(fingerprint);
      if (sealed != null) {
        batch.put(fingerprint, sealed);
      }
    }
    try {
      state.saveSealedSharedKeys(seal.owner(), batch);
      if (saveFailed) {
        saveFailed = false;
        log.info("sealed shared keys are saved again");
      }
    } catch (RuntimeException e) {
      // Kept in memory all the same; after a restart they are derived again.
      if (!saveFailed) {
        saveFailed = true;
        log.warn("cannot save {} sealed shared keys: {}", batch.size(), e.getMessage());
      }
    }
  }

  /** Saves the keys derived since the last save and stops deriving ahead. */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
