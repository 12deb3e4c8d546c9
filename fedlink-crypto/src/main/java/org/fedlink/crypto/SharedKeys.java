package org.fedlink.crypto;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The node-authentication keys ({@link EcdhKeyAgreement#deriveKey}) one key pair shares with the
 * keys it accepts, each derived at most once and kept in memory.
 *
 * <p>A key is derived on its first {@link #get} or ahead of it ({@link #derive}), or restored from
 * a sealed copy ({@link #restore}, see {@link KeySeal}). Only keys {@link #allow allowed} are kept,
 * so the cache never outgrows the accepted keys. Each key derived here (not a restored one) is
 * handed to the {@link #onDerived} listener, which may keep a sealed copy. {@link #derivations()}
 * counts the key agreements run, for tests and metrics. Returned arrays are the cached keys:
 * callers must not modify them. Thread-safe.
 */
public final class SharedKeys {
  private static final BiConsumer<OpenSshPublicKey, byte[]> NONE = (k, v) -> {};

  private final KeyPair own;
  private final ConcurrentHashMap<ByteBuffer, byte[]> keys = new ConcurrentHashMap<>();
  private final LongAdder derivations = new LongAdder();
  private volatile Set<ByteBuffer> allowed;
  private volatile BiConsumer<OpenSshPublicKey, byte[]> listener = NONE;

  /** Keys shared by {@code own} with each of {@code accepted}. */
  public SharedKeys(KeyPair own, Collection<OpenSshPublicKey> accepted) {
    this.own = Objects.requireNonNull(own, "own");
    this.allowed = blobs(accepted);
  }

  /**
   * The key shared with {@code peer}, derived now if it was not yet.
   *
   * @throws InvalidKeyException if the peer key cannot agree a key with the own key (another curve)
   */
  public byte[] get(OpenSshPublicKey peer) throws InvalidKeyException {
    byte[] key = keys.get(ByteBuffer.wrap(peer.blob()));
    return key != null ? key : derive(peer);
  }

  /**
   * Derives the key shared with {@code peer} unless it is already known, and returns it.
   *
   * @throws InvalidKeyException as {@link #get}
   */
  public byte[] derive(OpenSshPublicKey peer) throws InvalidKeyException {
    ByteBuffer id = ByteBuffer.wrap(peer.blob());
    byte[] known = keys.get(id);
    if (known != null) {
      return known;
    }
    byte[] key = EcdhKeyAgreement.deriveKey(own.getPrivate(), peer.publicKey());
    derivations.increment();
    if (!allowed.contains(id)) {
      return key;
    }
    byte[] raced = keys.putIfAbsent(id, key);
    if (raced != null) {
      return raced;
    }
    listener.accept(peer, key);
    return key;
  }

  /** True if the key shared with {@code peer} is in memory (no derivation needed). */
  public boolean contains(OpenSshPublicKey peer) {
    return keys.containsKey(ByteBuffer.wrap(peer.blob()));
  }

  /**
   * Keeps a key derived earlier (opened from its sealed copy) for an allowed peer; ignored for a
   * peer not allowed or already known.
   *
   * @throws IllegalArgumentException if the key is not {@value EcdhKeyAgreement#KEY_LENGTH} bytes
   */
  public void restore(OpenSshPublicKey peer, byte[] key) {
    if (key.length != EcdhKeyAgreement.KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a shared key is " + EcdhKeyAgreement.KEY_LENGTH + " bytes, got " + key.length);
    }
    ByteBuffer id = ByteBuffer.wrap(peer.blob());
    if (allowed.contains(id)) {
      keys.putIfAbsent(id, key.clone());
    }
  }

  /** Accepts exactly {@code accepted} from now on and forgets the keys of all others. */
  public void allow(Collection<OpenSshPublicKey> accepted) {
    Set<ByteBuffer> next = blobs(accepted);
    allowed = next;
    keys.keySet().retainAll(next);
  }

  /** Number of keys in memory. */
  public int size() {
    return keys.size();
  }

  /** Key agreements run so far (restored keys are not counted). */
  public long derivations() {
    return derivations.sum();
  }

  /**
   * Sets who is told of each key derived from now on (peer, key), on the deriving thread; it must
   * be quick and must not log the key. Replaces the previous listener.
   */
  public void onDerived(BiConsumer<OpenSshPublicKey, byte[]> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  private static Set<ByteBuffer> blobs(Collection<OpenSshPublicKey> keys) {
    Set<ByteBuffer> out = new HashSet<>();
    for (OpenSshPublicKey k : keys) {
      out.add(ByteBuffer.wrap(k.blob()));
    }
    return Set.copyOf(out);
  }

  @Override
  public String toString() {
    return "SharedKeys[" + keys.size() + " in memory]";
  }
}
