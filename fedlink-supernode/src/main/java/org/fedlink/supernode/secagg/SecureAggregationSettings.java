package org.fedlink.supernode.secagg;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.PartyDirectory;

/**
 * A node's secure-aggregation configuration: the {@code [security]} policy keys {@code
 * secure_aggregation} / {@code force_secure_aggregation}, its MPC identity and registered parties,
 * and the {@code [mpc]} biprime rules. Immutable and thread-safe once built.
 */
public final class SecureAggregationSettings {
  private final boolean enabled;
  private final boolean forced;
  private final Supplier<MpcIdentity> identity;
  private final PartyDirectory parties;
  private final BiprimeStore biprimes;
  private final boolean allowDefaultBiprimes;
  private final int minBiprimeBits;
  private final String transport;
  private final DirectTransportSettings direct;
  private final Duration setupTimeout;
  private final int maskParallelism;
  private final java.util.Set<String> schemes;

  private SecureAggregationSettings(Builder b) {
    this.enabled = b.enabled;
    this.forced = b.forced;
    this.identity = b.identity;
    this.parties = b.parties;
    this.biprimes = b.biprimes;
    this.allowDefaultBiprimes = b.allowDefaultBiprimes;
    this.minBiprimeBits = b.minBiprimeBits;
    this.transport = b.transport;
    this.direct = b.direct;
    this.setupTimeout = b.setupTimeout;
    this.maskParallelism = b.maskParallelism;
    this.schemes = java.util.Set.copyOf(b.schemes);
  }

  /** secure_aggregation = False: plain training only; secure requests are refused. */
  public static SecureAggregationSettings disabled() {
    return builder().enabled(false).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean enabled() {
    return enabled;
  }

  public boolean forced() {
    return forced;
  }

  /**
   * This node's MPC identity, null if none is configured (Joye-Libert requests then fail; LOM and
   * SecAgg+ keys go unsigned). An identity given as a supplier is made on this first call.
   */
  public MpcIdentity identity() {
    return identity == null ? null : identity.get();
  }

  /**
   * These settings with {@code identity} (made when first needed, at most once) and {@code parties}
   * in place of their own: a simulation's virtual nodes share one policy and generate their MPC
   * certificates only when a secure task first needs one.
   */
  public SecureAggregationSettings withIdentity(
      Supplier<MpcIdentity> identity, PartyDirectory parties) {
    Builder b = toBuilder();
    b.identity = once(Objects.requireNonNull(identity, "identity"));
    b.parties = Objects.requireNonNull(parties, "parties");
    return new SecureAggregationSettings(b);
  }

  /** {@code s}, called at most once; thread-safe. */
  private static Supplier<MpcIdentity> once(Supplier<MpcIdentity> s) {
    return new Supplier<>() {
      private MpcIdentity made;

      @Override
      public synchronized MpcIdentity get() {
        if (made == null) {
          made = Objects.requireNonNull(s.get(), "identity supplier returned null");
        }
        return made;
      }
    };
  }

  public PartyDirectory parties() {
    return parties;
  }

  /** The biprimes this node's admin registered; may be null (then only defaults, if allowed). */
  public BiprimeStore biprimes() {
    return biprimes;
  }

  /** These settings with {@code store} as biprime store if none was set (the node's DB). */
  public SecureAggregationSettings withBiprimesIfAbsent(BiprimeStore store) {
    if (biprimes != null) {
      return this;
    }
    Builder b = toBuilder();
    b.biprimes = store;
    return new SecureAggregationSettings(b);
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.forced = forced;
    b.identity = identity;
    b.parties = parties;
    b.biprimes = biprimes;
    b.allowDefaultBiprimes = allowDefaultBiprimes;
    b.minBiprimeBits = minBiprimeBits;
    b.transport = transport;
    b.direct = direct;
    b.setupTimeout = setupTimeout;
    b.maskParallelism = maskParallelism;
    b.schemes = schemes;
    return b;
  }

  public boolean allowDefaultBiprimes() {
    return allowDefaultBiprimes;
  }

  public int minBiprimeBits() {
    return minBiprimeBits;
  }

  /** [mpc] transport: relay (through the SuperLink) or direct (mutual TLS to peers). */
  public String transport() {
    return transport;
  }

  /** This node's MPC certificate and endpoint address for the direct transport; may be null. */
  public DirectTransportSettings direct() {
    return direct;
  }

  public Duration setupTimeout() {
    return setupTimeout;
  }

  public int maskParallelism() {
    return maskParallelism;
  }

  /** [security] secure_aggregation_schemes: the schemes this node accepts. */
  public java.util.Set<String> schemes() {
    return schemes;
  }

  /** Builder; defaults: enabled, not forced, default biprimes allowed, 1024 bits, relay. */
  public static final class Builder {
    private boolean enabled = true;
    private boolean forced;
    private Supplier<MpcIdentity> identity;
    private PartyDirectory parties = id -> java.util.Optional.empty();
    private BiprimeStore biprimes;
    private boolean allowDefaultBiprimes = true;
    private int minBiprimeBits = 1024;
    private String transport = "relay";
    private DirectTransportSettings direct;
    private Duration setupTimeout = Duration.ofSeconds(60);
    private int maskParallelism = Runtime.getRuntime().availableProcessors();
    private java.util.Set<String> schemes = java.util.Set.of("joye-libert", "lom", "secagg+");

    private Builder() {}

    /** [security] secure_aggregation_schemes: the accepted schemes; default all three. */
    public Builder schemes(java.util.Collection<String> accepted) {
      this.schemes = java.util.Set.copyOf(accepted);
      return this;
    }

    /** [security] secure_aggregation. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** [security] force_secure_aggregation. */
    public Builder forced(boolean forced) {
      this.forced = forced;
      return this;
    }

    /** [mpc] private_key with this component's id. */
    public Builder identity(MpcIdentity identity) {
      this.identity = identity == null ? null : () -> identity;
      return this;
    }

    /** The parties registered with {@code fedlink certificate register}. */
    public Builder parties(PartyDirectory parties) {
      this.parties = Objects.requireNonNull(parties, "parties");
      return this;
    }

    /** Biprimes registered with {@code fedlink supernode biprime add}. */
    public Builder biprimes(BiprimeStore biprimes) {
      this.biprimes = biprimes;
      return this;
    }

    /** [mpc] allow_default_biprimes. */
    public Builder allowDefaultBiprimes(boolean allow) {
      this.allowDefaultBiprimes = allow;
      return this;
    }

    /** [mpc] min_biprime_bits. */
    public Builder minBiprimeBits(int bits) {
      this.minBiprimeBits = bits;
      return this;
    }

    /**
     * [mpc] transport: relay (shares relayed through the SuperLink) or direct (shares sent with
     * mutual TLS to each peer's registered ip:port; needs {@link #direct}).
     */
    public Builder transport(String transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** This node's MPC certificate and the [mpc] ip:port its endpoint listens on (direct). */
    public Builder direct(DirectTransportSettings direct) {
      this.direct = direct;
      return this;
    }

    /** How long a setup waits for the other nodes' shares; default 60 s. */
    public Builder setupTimeout(Duration timeout) {
      this.setupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Threads that precompute masks; default every core. */
    public Builder maskParallelism(int threads) {
      this.maskParallelism = threads;
      return this;
    }

    /**
     * @throws FedlinkException (CONFIGURATION) naming the bad setting
     */
    public SecureAggregationSettings build() {
      if (forced && !enabled) {
        throw bad(
            "force_secure_aggregation = True needs secure_aggregation = True; set both or neither");
      }
      if (!transport.equals("relay") && !transport.equals("direct")) {
        throw bad("[mpc] transport = " + transport + "; allowed: relay, direct");
      }
      if (minBiprimeBits < 512 || minBiprimeBits > 16384) {
        throw bad("[mpc] min_biprime_bits = " + minBiprimeBits + "; allowed 512..16384");
      }
      if (maskParallelism < 1 || maskParallelism > 256) {
        throw bad("mask parallelism " + maskParallelism + "; allowed 1..256");
      }
      for (String s : schemes) {
        if (!java.util.List.of("joye-libert", "lom", "secagg+").contains(s)) {
          throw bad(
              "[security] secure_aggregation_schemes names '"
                  + s
                  + "'; allowed: joye-libert, lom, secagg+");
        }
      }
      if (setupTimeout.isNegative() || setupTimeout.isZero()) {
        throw bad("setup timeout " + setupTimeout + " must be positive");
      }
      return new SecureAggregationSettings(this);
    }

    private static FedlinkException bad(String message) {
      return new FedlinkException(ErrorCode.CONFIGURATION, message);
    }
  }
}
