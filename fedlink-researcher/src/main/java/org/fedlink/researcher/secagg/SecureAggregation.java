package org.fedlink.researcher.secagg;

import java.security.InvalidAlgorithmParameterException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.PartyDirectory;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;

/**
 * The researcher's switch for secure aggregation, passed to {@code
 * Experiment.builder().secureAggregation(...)}: the scheme and its settings. With it, nodes send
 * only encrypted or masked updates and the researcher learns only their weighted mean.
 *
 * <ul>
 *   <li>{@link #joyeLibert()}: additively homomorphic encryption under a biprime, keys set up once
 *       among the nodes (MPC); every node of the setup must answer every round;
 *   <li>{@link #lom()}: low-overhead masking, pairwise X25519 secrets agreed once per experiment,
 *       masks from AES-CTR per round; a node that drops out during a round fails that round;
 *   <li>{@link #secAggPlus()}: SecAgg+, keys and Shamir shares per round among neighbours; the
 *       round survives dropouts down to the reconstruction threshold.
 * </ul>
 *
 * <p>Immutable: every setter-style method returns a new instance, validating its argument.
 * Thread-safe.
 */
public final class SecureAggregation {
  /** The scheme names, as {@code --secagg} takes them. */
  public static final List<String> SCHEMES =
      List.of(SecAggKeys.SCHEME_JOYE_LIBERT, SecAggKeys.SCHEME_LOM, SecAggKeys.SCHEME_SECAGG_PLUS);

  /** Size in bits of the shipped biprime a new run uses unless told otherwise. */
  public static final int DEFAULT_BIPRIME_BITS = 2048;

  private final String scheme;
  private final double clippingRange;
  private final int valueBits;
  private final long maxWeight;
  private final Biprime biprime;
  private final MpcIdentity identity;
  private final PartyDirectory parties;
  private final Duration setupTimeout;
  private final String transport;
  private final int maskParallelism;
  private final int numShares;
  private final int threshold;

  private SecureAggregation(Fields f) {
    this.scheme = f.scheme;
    this.clippingRange = f.clippingRange;
    this.valueBits = f.valueBits;
    this.maxWeight = f.maxWeight;
    this.biprime = f.biprime;
    this.identity = f.identity;
    this.parties = f.parties;
    this.setupTimeout = f.setupTimeout;
    this.transport = f.transport;
    this.maskParallelism = f.maskParallelism;
    this.numShares = f.numShares;
    this.threshold = f.threshold;
  }

  /** The settings as a draft a wither changes one field of before sealing a new instance. */
  private static final class Fields {
    String scheme;
    double clippingRange;
    int valueBits;
    long maxWeight;
    Biprime biprime;
    MpcIdentity identity;
    PartyDirectory parties;
    Duration setupTimeout;
    String transport;
    int maskParallelism;
    int numShares;
    int threshold;
  }

  /** A copy of this with the change applied to its fields. */
  private SecureAggregation edit(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields();
    f.scheme = scheme;
    f.clippingRange = clippingRange;
    f.valueBits = valueBits;
    f.maxWeight = maxWeight;
    f.biprime = biprime;
    f.identity = identity;
    f.parties = parties;
    f.setupTimeout = setupTimeout;
    f.transport = transport;
    f.maskParallelism = maskParallelism;
    f.numShares = numShares;
    f.threshold = threshold;
    change.accept(f);
    return new SecureAggregation(f);
  }

  /**
   * Joye-Libert with clipping range 3.0, 16 quantization bits, weights up to 2^20 - 1, the shipped
   * {@value #DEFAULT_BIPRIME_BITS}-bit default biprime (nodes accept it only with {@code
   * allow_default_biprimes = True}; the shipped 1024-bit one stays selectable with {@link
   * #biprime}), relay transport. An identity and parties must still be given.
   */
  public static SecureAggregation joyeLibert() {
    return of(SecAggKeys.SCHEME_JOYE_LIBERT);
  }

  /**
   * LOM with clipping range 3.0, 16 quantization bits, weights up to 2^20 - 1. Needs no researcher
   * identity: the nodes sign their keys with their own MPC certificates and check each other's.
   */
  public static SecureAggregation lom() {
    return of(SecAggKeys.SCHEME_LOM);
  }

  /**
   * SecAgg+ with the encoding of {@link #lom()}, every node holding shares of every other ({@code
   * numShares} 0) and the smallest safe threshold (half the holders, at least 2).
   */
  public static SecureAggregation secAggPlus() {
    return of(SecAggKeys.SCHEME_SECAGG_PLUS);
  }

  /**
   * The scheme named as {@code --secagg} takes it.
   *
   * @throws FedlinkException INVALID_ARGUMENT naming the schemes if the name is unknown
   */
  public static SecureAggregation of(String scheme) {
    if (!SCHEMES.contains(scheme)) {
      throw bad("secure aggregation scheme '" + scheme + "' is unknown; use one of " + SCHEMES);
    }
    try {
      Fields f = new Fields();
      f.scheme = scheme;
      f.clippingRange = 3.0;
      f.valueBits = 16;
      f.maxWeight = (1L << 20) - 1;
      f.biprime = Biprime.defaultBiprime(DEFAULT_BIPRIME_BITS);
      f.parties = id -> Optional.empty();
      f.setupTimeout = Duration.ofSeconds(60);
      f.transport = "relay";
      f.maskParallelism = Runtime.getRuntime().availableProcessors();
      return new SecureAggregation(f);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException(
          "the shipped " + DEFAULT_BIPRIME_BITS + "-bit biprime is missing", e);
    }
  }

  /** Values (update deltas) are clipped to [-range, range]; finite and positive. */
  public SecureAggregation clippingRange(double range) {
    if (!(range > 0) || Double.isInfinite(range)) {
      throw bad("clipping range " + range + " must be finite and > 0");
    }
    return edit(f -> f.clippingRange = range);
  }

  /** Quantization bits per value, 2..32 (default 16). */
  public SecureAggregation valueBits(int bits) {
    if (bits < BitBudget.MIN_VALUE_BITS || bits > BitBudget.MAX_VALUE_BITS) {
      throw bad("value bits " + bits + "; allowed 2..32");
    }
    return edit(f -> f.valueBits = bits);
  }

  /** The largest number of examples one node may weigh its update with (default 2^20 - 1). */
  public SecureAggregation maxWeight(long weight) {
    if (weight < 1) {
      throw bad("max weight " + weight + " must be at least 1");
    }
    return edit(f -> f.maxWeight = weight);
  }

  /** The biprime N (Joye-Libert); every node must accept it (registered, or a default). */
  public SecureAggregation biprime(Biprime n) {
    return edit(f -> f.biprime = Objects.requireNonNull(n, "biprime"));
  }

  /** The researcher's component id and MPC certificate key. */
  public SecureAggregation identity(MpcIdentity id) {
    return edit(f -> f.identity = Objects.requireNonNull(id, "identity"));
  }

  /** The node certificates the researcher registered. */
  public SecureAggregation parties(PartyDirectory directory) {
    return edit(f -> f.parties = Objects.requireNonNull(directory, "parties"));
  }

  /** How long nodes wait for each other's key shares (Joye-Libert; default 60 s). */
  public SecureAggregation setupTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw bad("setup timeout " + timeout + " must be positive");
    }
    return edit(f -> f.setupTimeout = timeout);
  }

  /**
   * relay (default) or direct ([mpc] transport; Joye-Libert): how nodes exchange key shares; every
   * node must have the same [mpc] transport, or it refuses the setup.
   */
  public SecureAggregation transport(String t) {
    if (!"relay".equals(t) && !"direct".equals(t)) {
      throw bad("transport '" + t + "'; allowed: relay, direct");
    }
    return edit(f -> f.transport = t);
  }

  /**
   * SecAgg+: holders of each node's shares, itself included: an odd number at least 3 (a ring
   * graph), or 0 (the default) for every node. Checked against the number of nodes each round.
   */
  public SecureAggregation numShares(int shares) {
    if (shares < 0) {
      throw bad("num_shares " + shares + " must be 0 (all nodes) or at least 3");
    }
    return edit(f -> f.numShares = shares);
  }

  /**
   * SecAgg+: shares needed to reconstruct a secret, at least 2 and at least half the holders; 0
   * (the default) picks the smallest safe value. Checked against the nodes each round.
   */
  public SecureAggregation reconstructionThreshold(int t) {
    if (t < 0 || t == 1) {
      throw bad(
          "reconstruction_threshold "
              + t
              + " must be 0 (automatic) or at least 2: with 1, any single node could reveal"
              + " another's mask");
    }
    return edit(f -> f.threshold = t);
  }

  /** joye-libert, lom or secagg+. */
  /**
   * Whether a run goes on after a round this scheme could not finish because nodes left it: true
   * for the masking schemes, whose keys stay valid for the nodes that remain (LOM's next round
   * needs no new setup; SecAgg+ starts afresh every round); false for Joye-Libert, whose setup must
   * be redone for the new set of nodes, so its run stops with the round's message.
   */
  public boolean continuesAfterLostRounds() {
    return !scheme.equals(SecAggKeys.SCHEME_JOYE_LIBERT);
  }

  public String scheme() {
    return scheme;
  }

  public double clippingRange() {
    return clippingRange;
  }

  public int valueBits() {
    return valueBits;
  }

  public long maxWeight() {
    return maxWeight;
  }

  public Biprime biprime() {
    return biprime;
  }

  /** The researcher's identity, or null if none was given yet. */
  public MpcIdentity identity() {
    return identity;
  }

  public PartyDirectory parties() {
    return parties;
  }

  public Duration setupTimeout() {
    return setupTimeout;
  }

  public String transport() {
    return transport;
  }

  public int numShares() {
    return numShares;
  }

  /** The threshold as set (0 = automatic). */
  public int reconstructionThreshold() {
    return threshold;
  }

  int maskParallelism() {
    return maskParallelism;
  }

  /**
   * Checks what {@code Experiment.Builder.build()} needs.
   *
   * @throws FedlinkException INVALID_ARGUMENT if Joye-Libert has no identity
   */
  public void validate() {
    if (scheme.equals(SecAggKeys.SCHEME_JOYE_LIBERT) && identity == null) {
      throw bad(
          "secure aggregation needs the researcher's MPC identity (component id and"
              + " MPC_certificate.key); set SecureAggregation.identity(...)");
    }
    if (numShares == 1 || numShares == 2) {
      throw bad("num_shares " + numShares + " must be 0 (all nodes) or at least 3");
    }
  }

  private static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public String toString() {
    if (scheme.equals(SecAggKeys.SCHEME_JOYE_LIBERT)) {
      return "SecureAggregation[joye-libert, R "
          + clippingRange
          + ", "
          + valueBits
          + " bits, maxWeight "
          + maxWeight
          + ", N "
          + biprime.bits()
          + " bits "
          + biprime.fingerprint().substring(0, 12)
          + "]";
    }
    return "SecureAggregation["
        + scheme
        + ", R "
        + clippingRange
        + ", "
        + valueBits
        + " bits, maxWeight "
        + maxWeight
        + (scheme.equals(SecAggKeys.SCHEME_SECAGG_PLUS)
            ? ", num_shares " + numShares + ", threshold " + threshold
            : "")
        + "]";
  }
}
