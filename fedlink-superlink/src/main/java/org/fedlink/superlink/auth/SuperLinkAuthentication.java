package org.fedlink.superlink.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.KeySeal;
import org.fedlink.crypto.KeyedNonceCache;
import org.fedlink.crypto.NonceCache;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;

/**
 * The SuperLink's authentication settings, loaded and checked once: its own key pair, the node
 * known-keys list (Fleet API) and the researcher known-keys list (Control API). The Control API is
 * closed by default: without a researcher list {@link Builder#build()} refuses, unless {@link
 * Builder#allowAnonymousControl} explicitly opens it. Build with {@link #builder()}. Immutable
 * apart from the lists' reloads; thread-safe.
 */
public final class SuperLinkAuthentication {
  /** Default tolerance between a request's timestamp and the SuperLink's clock. */
  public static final Duration DEFAULT_TIMESTAMP_WINDOW = NonceCache.DEFAULT_WINDOW;

  /** Default number of unexpired nonces remembered per key list, shared evenly by its keys. */
  public static final int DEFAULT_NONCE_CAPACITY = NonceCache.DEFAULT_CAPACITY;

  private final OpenSshPublicKey publicKey;
  private final Duration timestampWindow;
  private final KnownKeysList nodeKeys;
  private final KnownKeysList researcherKeys;
  private final boolean anonymousControl;
  private final KeySeal keySeal;

  private SuperLinkAuthentication(
      Builder b, KeyPair own, OpenSshPublicKey publicKey, KeySeal keySeal) {
    this.publicKey = publicKey;
    this.keySeal = keySeal;
    this.anonymousControl = b.researcherKeys == null;
    this.timestampWindow = b.timestampWindow;
    // Left at its default, the capacity grows with the key list: each key keeps at least the share
    // its normal calls need (KeyedNonceCache.NODE_MIN_SHARE), however many nodes are listed. A
    // capacity set here is shared out exactly.
    int minShare = b.nonceCapacitySet ? 1 : KeyedNonceCache.NODE_MIN_SHARE;
    this.nodeKeys =
        KnownKeysList.load(b.nodeKeys, "node", own, b.nonceCapacity, minShare, b.timestampWindow);
    this.researcherKeys =
        b.researcherKeys == null
            ? null
            : KnownKeysList.load(
                b.researcherKeys, "researcher", own, b.nonceCapacity, minShare, b.timestampWindow);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The SuperLink's public key, which nodes and researchers pass as --auth-superlink-public-key.
   */
  public OpenSshPublicKey publicKey() {
    return publicKey;
  }

  /**
   * Seals the keys shared with listed keys under the SuperLink's private key, so they can be kept
   * in the state ({@link SharedKeyStore}).
   */
  public KeySeal keySeal() {
    return keySeal;
  }

  /** The keys of the nodes allowed on the Fleet API. */
  public KnownKeysList nodeKeys() {
    return nodeKeys;
  }

  /** The keys of the researchers allowed on the Control API, or null if it is open. */
  public KnownKeysList researcherKeys() {
    return researcherKeys;
  }

  /**
   * True if the Control API is open to anyone (only with {@link Builder#allowAnonymousControl}).
   */
  public boolean anonymousControl() {
    return anonymousControl;
  }

  public Duration timestampWindow() {
    return timestampWindow;
  }

  /** Settings, validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private Path nodeKeys;
    private Path privateKey;
    private Path publicKeyFile;
    private Path researcherKeys;
    private Duration timestampWindow = DEFAULT_TIMESTAMP_WINDOW;
    private int nonceCapacity = DEFAULT_NONCE_CAPACITY;
    private boolean nonceCapacitySet;
    private boolean allowAnonymousControl;

    private Builder() {}

    /** The node known-keys file ({@code --auth-list-public-keys}). */
    public Builder nodeKeys(Path file) {
      this.nodeKeys = Objects.requireNonNull(file, "file");
      return this;
    }

    /** The SuperLink's own key pair files. */
    public Builder superlinkKeys(Path privateKey, Path publicKey) {
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      this.publicKeyFile = Objects.requireNonNull(publicKey, "publicKey");
      return this;
    }

    /**
     * The researcher known-keys file ({@code --auth-list-researcher-public-keys}); required unless
     * {@link #allowAnonymousControl}.
     */
    public Builder researcherKeys(Path file) {
      this.researcherKeys = file;
      return this;
    }

    /**
     * Lets the SuperLink start without a researcher known-keys file, with the Control API open to
     * whoever reaches the port ({@code --allow-anonymous-control}); default false. Ignored when a
     * researcher file is given.
     */
    public Builder allowAnonymousControl(boolean allow) {
      this.allowAnonymousControl = allow;
      return this;
    }

    /** How far a request's timestamp may be from now, either way; default 60 s. */
    public Builder timestampWindow(Duration window) {
      this.timestampWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Unexpired nonces remembered per list, shared evenly by the list's keys; one key's sustained
     * rate is its share over the window. A key past its share is refused, the others are not. By
     * default ({@link #DEFAULT_NONCE_CAPACITY}) each key holds at least {@link
     * KeyedNonceCache#NODE_MIN_SHARE} however many keys are listed; a capacity set here is shared
     * out exactly.
     */
    public Builder nonceCapacity(int capacity) {
      this.nonceCapacity = capacity;
      this.nonceCapacitySet = true;
      return this;
    }

    /**
     * Reads and checks the keys.
     *
     * @throws FedlinkException CONFIGURATION naming the flag, file and problem: a missing setting
     *     (including the researcher file without {@link #allowAnonymousControl}), an unreadable or
     *     malformed file, a private key that does not match its public key, a window outside 1 s..1
     *     day
     */
    public SuperLinkAuthentication build() {
      if (nodeKeys == null || privateKey == null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "node authentication needs --auth-list-public-keys, --auth-superlink-private-key and"
                + " --auth-superlink-public-key together");
      }
      if (researcherKeys == null && !allowAnonymousControl) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "node authentication is on but no researcher keys are listed, which would leave the"
                + " Control API (list nodes, push tasks, read results) open to whoever reaches the"
                + " port: pass --auth-list-researcher-public-keys FILE with the researchers' public"
                + " keys, or --allow-anonymous-control ([auth] allow_anonymous_control = True) to"
                + " accept that");
      }
      if (timestampWindow.compareTo(Duration.ofSeconds(1)) < 0
          || timestampWindow.compareTo(Duration.ofDays(1)) > 0) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "--auth-timestamp-window "
                + timestampWindow.toSeconds()
                + " s is out of range: use 1..86400 seconds");
      }
      if (nonceCapacity < 1) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, "nonce capacity " + nonceCapacity + " must be at least 1");
      }
      KeyPair own;
      OpenSshPublicKey pub;
      KeySeal seal;
      try {
        own = OpenSshKeys.loadPair(privateKey, publicKeyFile);
        pub = OpenSshPublicKey.read(publicKeyFile);
        seal = KeySeal.of(own);
      } catch (IOException | KeyFormatException | InvalidKeyException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "cannot use the SuperLink key pair --auth-superlink-private-key "
                + privateKey
                + " / --auth-superlink-public-key "
                + publicKeyFile
                + ": "
                + e.getMessage(),
            e);
      }
      return new SuperLinkAuthentication(this, own, pub, seal);
    }
  }
}
