package org.fedlink.researcher.secagg;

import java.security.InvalidAlgorithmParameterException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.PartyDirectory;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.secagg.BitBudget;

/**
 * The researcher's switch for secure aggregation, passed to {@code
 * Experiment.builder().secureAggregation(...)}: the scheme (Joye-Libert), its bit budget (clipping
 * range, quantization bits, largest node weight), the biprime, and the researcher's MPC identity
 * and registered parties. With it, nodes send only encrypted updates and the researcher learns only
 * their weighted mean.
 *
 * <p>An immutable value: every {@code withX}-style method returns a new instance, validating its
 * argument. Thread-safe.
 */
public final class SecureAggregation {
  private final double clippingRange;
  private final int valueBits;
  private final long maxWeight;
  private final Biprime biprime;
  private final MpcIdentity identity;
  private final PartyDirectory parties;
  private final Duration setupTimeout;
  private final String transport;
  private final int maskParallelism;

  private SecureAggregation(
      double clippingRange,
      int valueBits,
      long maxWeight,
      Biprime biprime,
      MpcIdentity identity,
      PartyDirectory parties,
      Duration setupTimeout,
      String transport,
      int maskParallelism) {
    this.clippingRange = clippingRange;
    this.valueBits = valueBits;
    this.maxWeight = maxWeight;
    this.biprime = biprime;
    this.identity = identity;
    this.parties = parties;
    this.setupTimeout = setupTimeout;
    this.transport = transport;
    this.maskParallelism = maskParallelism;
  }

  /** Size in bits of the shipped biprime a new run uses unless told otherwise. */
  public static final int DEFAULT_BIPRIME_BITS = 2048;

  /**
   * Joye-Libert with clipping range 3.0, 16 quantization bits, weights up to 2^20 - 1, the shipped
   * {@value #DEFAULT_BIPRIME_BITS}-bit default biprime (nodes accept it only with {@code
   * allow_default_biprimes = True}; the shipped 1024-bit one stays selectable with {@link
   * #biprime}), relay transport. An identity and parties must still be given.
   */
  public static SecureAggregation joyeLibert() {
    try {
      return new SecureAggregation(
          3.0,
          16,
          (1L << 20) - 1,
          Biprime.defaultBiprime(DEFAULT_BIPRIME_BITS),
          null,
          id -> Optional.empty(),
          Duration.ofSeconds(60),
          "relay",
          Runtime.getRuntime().availableProcessors());
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
    return copy(range, valueBits, maxWeight, biprime, identity, parties, setupTimeout, transport);
  }

  /** Quantization bits per value, 2..32 (default 16). */
  public SecureAggregation valueBits(int bits) {
    if (bits < BitBudget.MIN_VALUE_BITS || bits > BitBudget.MAX_VALUE_BITS) {
      throw bad("value bits " + bits + "; allowed 2..32");
    }
    return copy(
        clippingRange, bits, maxWeight, biprime, identity, parties, setupTimeout, transport);
  }

  /** The largest number of examples one node may weigh its update with (default 2^20 - 1). */
  public SecureAggregation maxWeight(long weight) {
    if (weight < 1) {
      throw bad("max weight " + weight + " must be at least 1");
    }
    return copy(
        clippingRange, valueBits, weight, biprime, identity, parties, setupTimeout, transport);
  }

  /** The biprime N; every node must accept it (registered by its admin, or a default). */
  public SecureAggregation biprime(Biprime n) {
    return copy(
        clippingRange,
        valueBits,
        maxWeight,
        Objects.requireNonNull(n, "biprime"),
        identity,
        parties,
        setupTimeout,
        transport);
  }

  /** The researcher's component id and MPC certificate key. */
  public SecureAggregation identity(MpcIdentity id) {
    return copy(
        clippingRange,
        valueBits,
        maxWeight,
        biprime,
        Objects.requireNonNull(id, "identity"),
        parties,
        setupTimeout,
        transport);
  }

  /** The node certificates the researcher registered. */
  public SecureAggregation parties(PartyDirectory directory) {
    return copy(
        clippingRange,
        valueBits,
        maxWeight,
        biprime,
        identity,
        Objects.requireNonNull(directory, "parties"),
        setupTimeout,
        transport);
  }

  /** How long nodes wait for each other's key shares (default 60 s). */
  public SecureAggregation setupTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw bad("setup timeout " + timeout + " must be positive");
    }
    return copy(
        clippingRange, valueBits, maxWeight, biprime, identity, parties, timeout, transport);
  }

  /**
   * relay (default) or direct ([mpc] transport): how nodes exchange key shares; every node must
   * have the same [mpc] transport, or it refuses the setup.
   */
  public SecureAggregation transport(String t) {
    if (!"relay".equals(t) && !"direct".equals(t)) {
      throw bad("transport '" + t + "'; allowed: relay, direct");
    }
    return copy(clippingRange, valueBits, maxWeight, biprime, identity, parties, setupTimeout, t);
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

  int maskParallelism() {
    return maskParallelism;
  }

  /**
   * Checks what {@code Experiment.Builder.build()} needs.
   *
   * @throws FedlinkException INVALID_ARGUMENT if no identity was given
   */
  public void validate() {
    if (identity == null) {
      throw bad(
          "secure aggregation needs the researcher's MPC identity (component id and"
              + " MPC_certificate.key); set SecureAggregation.identity(...)");
    }
  }

  private SecureAggregation copy(
      double r,
      int bits,
      long weight,
      Biprime n,
      MpcIdentity id,
      PartyDirectory dir,
      Duration timeout,
      String t) {
    return new SecureAggregation(r, bits, weight, n, id, dir, timeout, t, maskParallelism);
  }

  private static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public String toString() {
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
}
