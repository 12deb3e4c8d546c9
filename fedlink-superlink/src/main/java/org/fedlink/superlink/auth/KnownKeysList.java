package org.fedlink.superlink.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.KeyedNonceCache;
import org.fedlink.crypto.KnownKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One known-keys file and the verifier that accepts its keys, re-read on request.
 *
 * <p>A reload that parses replaces the verifier atomically (the next call is checked against the
 * new list) and returns the keys that were removed. A file that no longer parses or cannot be read
 * keeps the previous list and logs an ERROR naming the file and line. To avoid acting on a file an
 * editor is halfway through writing, {@link #poll} applies a change only once the same new content
 * was seen twice in a row. Thread-safe.
 */
public final class KnownKeysList {
  private static final Logger log = LoggerFactory.getLogger(KnownKeysList.class);

  private final Path file;
  private final String role;
  private final AtomicReference<TokenVerifier> verifier;
  private byte[] applied;
  private byte[] candidate;
  private boolean unreadable;

  private KnownKeysList(Path file, String role, TokenVerifier verifier, byte[] content) {
    this.file = file;
    this.role = role;
    this.verifier = new AtomicReference<>(verifier);
    this.applied = content;
  }

  /**
   * Reads the file for the first time.
   *
   * @param file the known-keys file (CSV or one key per line, {@code #} comments)
   * @param role who the keys belong to, for messages: {@code node} or {@code researcher}
   * @param own the SuperLink's key pair
   * @param nonceCapacity unexpired nonces remembered for the whole list, shared evenly among its
   *     keys ({@link KeyedNonceCache})
   * @param window the timestamp window, also how long a nonce is remembered
   * @throws FedlinkException CONFIGURATION if the file cannot be read or parsed, naming the line
   */
  public static KnownKeysList load(
      Path file, String role, KeyPair own, int nonceCapacity, Duration window) {
    return load(file, role, own, nonceCapacity, 1, window);
  }

  /**
   * Loads a known-keys file; each key holds at least {@code minShare} nonces whatever the number of
   * keys ({@link KeyedNonceCache}).
   */
  public static KnownKeysList load(
      Path file, String role, KeyPair own, int nonceCapacity, int minShare, Duration window) {
    Objects.requireNonNull(file, "file");
    byte[] content;
    KnownKeys keys;
    try {
      content = Files.readAllBytes(file);
      keys = parse(content, file);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot read the " + role + " known-keys file " + file + ": " + e.getMessage(),
          e);
    } catch (KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "the " + role + " known-keys file is invalid: " + e.getMessage(),
          e);
    }
    if (keys.size() == 0) {
      log.warn("the {} known-keys file {} lists no key: every {} is refused", role, file, role);
    }
    KeyedNonceCache nonces = new KeyedNonceCache(nonceCapacity, minShare, window, keys);
    return new KnownKeysList(file, role, new TokenVerifier(own, keys, nonces), content);
  }

  /** The verifier of the current list. */
  public TokenVerifier verifier() {
    return verifier.get();
  }

  /** The keys currently accepted. */
  public KnownKeys keys() {
    return verifier.get().knownKeys();
  }

  /** The file this list is read from. */
  public Path file() {
    return file;
  }

  /**
   * Applies the file's content if it changed and was seen unchanged at the previous poll.
   *
   * @return the keys removed by this poll (empty if nothing was applied)
   */
  public synchronized List<OpenSshPublicKey> poll() {
    byte[] now = read();
    if (now == null || Arrays.equals(now, applied)) {
      candidate = null;
      return List.of();
    }
    if (!Arrays.equals(now, candidate)) {
      candidate = now;
      return List.of();
    }
    return apply(now);
  }

  /**
   * Re-reads the file now, whether or not it changed.
   *
   * @return the keys removed
   */
  public synchronized List<OpenSshPublicKey> reload() {
    byte[] now = read();
    return now == null ? List.of() : apply(now);
  }

  private List<OpenSshPublicKey> apply(byte[] content) {
    candidate = null;
    KnownKeys next;
    try {
      next = parse(content, file);
    } catch (KeyFormatException e) {
      log.error(
          "the {} known-keys file no longer parses; keeping the previous {} keys: {}",
          role,
          keys().size(),
          e.getMessage());
      applied = content;
      return List.of();
    }
    applied = content;
    KnownKeys previous = keys();
    verifier.set(verifier.get().withKnownKeys(next));
    List<OpenSshPublicKey> removed = new ArrayList<>();
    for (OpenSshPublicKey k : previous.keys()) {
      if (!next.contains(k)) {
        removed.add(k);
        log.warn("{} key {} removed from {}: refused from now on", role, k.fingerprint(), file);
      }
    }
    int added = 0;
    for (OpenSshPublicKey k : next.keys()) {
      if (!previous.contains(k)) {
        added++;
        log.info("{} key {} added from {}", role, k.fingerprint(), file);
      }
    }
    log.info(
        "{} known keys reloaded from {}: {} keys ({} added, {} removed)",
        role,
        file,
        next.size(),
        added,
        removed.size());
    return removed;
  }

  private byte[] read() {
    try {
      byte[] content = Files.readAllBytes(file);
      unreadable = false;
      return content;
    } catch (IOException e) {
      if (!unreadable) {
        log.error(
            "cannot read the {} known-keys file {}; keeping the previous {} keys: {}",
            role,
            file,
            keys().size(),
            e.toString());
      }
      unreadable = true;
      return null;
    }
  }

  private static KnownKeys parse(byte[] content, Path file) throws KeyFormatException {
    return KnownKeys.parse(new String(content, StandardCharsets.UTF_8), file.toString());
  }
}
