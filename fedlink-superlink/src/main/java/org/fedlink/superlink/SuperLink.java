package org.fedlink.superlink;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.DiskSpace;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.superlink.auth.AuthService;
import org.fedlink.superlink.auth.KeysWatcher;
import org.fedlink.superlink.auth.SharedKeyStore;
import org.fedlink.superlink.auth.SuperLinkAuthentication;
import org.fedlink.superlink.auth.TokenAuthInterceptor;
import org.fedlink.superlink.control.ControlService;
import org.fedlink.superlink.control.RunAccess;
import org.fedlink.superlink.control.RunLogs;
import org.fedlink.superlink.dispatch.Coordinator;
import org.fedlink.superlink.dispatch.Dispatcher;
import org.fedlink.superlink.dispatch.FlowGauge;
import org.fedlink.superlink.dispatch.IdleRuns;
import org.fedlink.superlink.dispatch.Presence;
import org.fedlink.superlink.fleet.FleetService;
import org.fedlink.superlink.metrics.CallMetrics;
import org.fedlink.superlink.metrics.SuperLinkMetrics;
import org.fedlink.superlink.state.BlobStore;
import org.fedlink.superlink.state.LinkState;
import org.fedlink.superlink.state.NodeRecord;
import org.fedlink.superlink.state.RetentionSweep;
import org.fedlink.superlink.state.SqliteLinkState;
import org.fedlink.superlink.state.SweepReport;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.MetricsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SuperLink server: the Fleet API for SuperNodes and the Control API for the researcher on one
 * TLS port, state in {@code <home>/superlink.sqlite} and blobs in {@code <home>/blobs}.
 *
 * <p>Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops it. A SuperLink
 * killed at any point and started again on the same home keeps its nodes, runs, tasks and results.
 */
public final class SuperLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SuperLink.class);

  private final Builder config;
  private Server server;
  private LinkState state;
  private Dispatcher dispatcher;
  private Coordinator coordinator;
  private IdleRuns idleRuns;
  private ScheduledExecutorService monitor;
  private ScheduledExecutorService sweeper;
  private RetentionSweep retention;
  private volatile boolean presenceDiskFull;
  private KeysWatcher keysWatcher;
  private SharedKeyStore sharedKeys;
  private ProcessLock processLock;
  private ThreadPoolExecutor handlers;
  private ThreadPoolExecutor heartbeatHandlers;

  /** Runs a call's method lookup where the call arrives (see {@code executor} below). */
  private static final java.util.concurrent.Executor INLINE = Runnable::run;

  private final SuperLinkMetrics metrics = new SuperLinkMetrics();
  private io.grpc.protobuf.services.HealthStatusManager health;
  private MetricsEndpoint metricsEndpoint;

  private SuperLink(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the state and starts listening.
   *
   * @throws FedlinkException if the state cannot be opened, TLS files are unusable or the port is
   *     taken
   */
  public synchronized SuperLink start() {
    StateFiles files = StateFiles.of(config.home, config.database);
    Path stateFile = files.database();
    // One SuperLink per state database: a second process refuses to start, naming the first.
    processLock = ProcessLock.acquire(stateFile, "SuperLink state database");
    try {
      state = SqliteLinkState.open(stateFile, config.clock);
    } catch (RuntimeException e) {
      processLock.close();
      throw e;
    }
    try {
      BlobStore blobs =
          new BlobStore(
              files.blobs(),
              state,
              config.clock,
              config.diskReserveBytes,
              config.quotas.maxBlobBytes(),
              config.quotas.maxUploadsPerNode(),
              config.syncBlobs);
      retention = new RetentionSweep(state, blobs, config.clock);
      dispatcher = new Dispatcher(config.streamBufferMessages, config.streamBufferBytes);
      Presence presence = new Presence(config.heartbeatTimeout.toMillis());
      coordinator =
          new Coordinator(
              state,
              blobs,
              dispatcher,
              presence,
              config.heartbeatInterval.toMillis(),
              config.quotas);
      idleRuns = new IdleRuns(state, coordinator, dispatcher, config.runIdleTimeout, config.clock);
      List<ServerInterceptor> fleet = new ArrayList<>(config.fleetInterceptors);
      List<ServerInterceptor> control = new ArrayList<>(config.controlInterceptors);
      SuperLinkAuthentication auth = config.authentication;
      if (auth != null) {
        // Before listening: after a restart every node reconnects at once, and each key restored
        // here is one key agreement less in that burst.
        Set<String> registered = new HashSet<>();
        for (NodeRecord n : state.nodes()) {
          registered.add(n.fingerprint());
        }
        sharedKeys = SharedKeyStore.open(state, auth, registered);
      }
      if (auth != null) {
        // Last in the list runs first: authentication precedes every other interceptor.
        fleet.add(new TokenAuthInterceptor(auth.nodeKeys()::verifier, "node", metrics::refusal));
        if (auth.researcherKeys() != null) {
          control.add(
              new TokenAuthInterceptor(
                  auth.researcherKeys()::verifier, "researcher", metrics::refusal));
        }
      }
      // Outermost: calls refused by authentication are counted too.
      fleet.add(new CallMetrics(metrics));
      control.add(new CallMetrics(metrics));
      metrics.watch(
          () -> coordinator.listNodes(), () -> state.activeRuns().size(), stateFile, files.blobs());
      health = new io.grpc.protobuf.services.HealthStatusManager();
      ServerBuilder<?> nb = transport();
      nb.maxInboundMessageSize(ClientChannels.MAX_MESSAGE_BYTES)
          // gRPC looks a call's method up on the server's executor, then runs the call on the
          // executor chosen below. The lookup (a map lookup and the choice of lane) is all that
          // runs here, so it runs on the transport's own thread: no hand-off to another thread
          // before the one that runs the call, and it never waits behind a slow call. (Not gRPC's
          // directExecutor(), with which the call could not move to its lane.)
          .executor(INLINE)
          // Heartbeats have a lane of their own: a heartbeat is cheap (a map update) but must not
          // wait behind a burst of costly calls (thousands of nodes registering at once after a
          // restart, each deriving its key), or the waiting nodes would be counted offline.
          .callExecutor(
              new io.grpc.ServerCallExecutorSupplier() {
                private final java.util.concurrent.Executor lane =
                    heartbeatHandlers = handlerExecutor("heartbeat", 2, config.handlerQueue);
                private final java.util.concurrent.Executor calls =
                    handlers =
                        handlerExecutor("handler", config.handlerThreads, config.handlerQueue);

                @Override
                public <ReqT, RespT> java.util.concurrent.Executor getExecutor(
                    io.grpc.ServerCall<ReqT, RespT> call, io.grpc.Metadata headers) {
                  return call.getMethodDescriptor().getFullMethodName().equals(HEARTBEAT)
                      ? lane
                      : calls;
                }
              })
          .addService(ServerInterceptors.intercept(new FleetService(coordinator), fleet))
          .addService(
              ServerInterceptors.intercept(
                  new ControlService(
                      coordinator,
                      new RunAccess(state),
                      idleRuns,
                      new RunLogs(state, config.clock),
                      metrics::round),
                  control))
          // The standard gRPC health service, untokened like the key lookup: probes hold no
          // key.
          .addService(health.getHealthService());
      if (auth != null) {
        // Untokened on purpose: clients fetch the key here before they can sign anything.
        nb.addService(new AuthService(auth.publicKey()));
      }
      server = nb.build().start();
      health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      health.setStatus(
          org.fedlink.proto.v1.FleetGrpc.SERVICE_NAME,
          io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      health.setStatus(
          org.fedlink.proto.v1.ControlGrpc.SERVICE_NAME,
          io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      if (config.metricsAddress != null) {
        metricsEndpoint =
            MetricsEndpoint.start(
                config.metricsAddress.host(),
                config.metricsAddress.port(),
                metrics::scrape,
                "SuperLink");
      }
    } catch (IOException e) {
      stopHandlers();
      closeSharedKeys();
      state.close();
      processLock.close();
      throw new FedlinkException(
          ErrorCode.UNAVAILABLE,
          "cannot listen on " + config.address + ": " + rootMessage(e) + " (is the port in use?)",
          e);
    } catch (RuntimeException e) {
      if (server != null) {
        server.shutdownNow();
        server = null;
      }
      stopHandlers();
      closeSharedKeys();
      state.close();
      processLock.close();
      throw e;
    }
    long tick = Math.max(100, Math.min(1000, config.heartbeatInterval.toMillis() / 2));
    monitor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "superlink-presence");
              t.setDaemon(true);
              return t;
            });
    monitor.scheduleWithFixedDelay(this::checkPresence, tick, tick, TimeUnit.MILLISECONDS);
    long idleTick = Math.max(1000, Math.min(60_000, config.runIdleTimeout.toMillis() / 10));
    monitor.scheduleWithFixedDelay(this::stopIdleRuns, idleTick, idleTick, TimeUnit.MILLISECONDS);
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "superlink-retention");
              t.setDaemon(true);
              return t;
            });
    // First at start, so a SuperLink that was down for days catches up at once.
    sweeper.scheduleWithFixedDelay(
        this::sweep, 0, config.sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    if (config.authentication != null) {
      startAuthentication(config.authentication);
    }
    if (!config.syncBlobs && !config.address.isInProcess()) {
      log.warn("blobs are not flushed to disk (syncBlobs off): a power loss may corrupt them");
    }
    log.info(
        "SuperLink listening on {}:{} ({}), state in {}",
        config.address.host(),
        port(),
        config.address.isInProcess() ? "in-process" : config.insecure ? "INSECURE, no TLS" : "TLS",
        stateFile.toAbsolutePath());
    return this;
  }

  /**
   * The threads every call runs on: a fixed pool with a bounded queue, so a flood of calls cannot
   * make the SuperLink start threads without end. No handler blocks for long (streams are written
   * from on-ready callbacks), so a few threads serve many open streams. A call that finds the queue
   * full is refused by gRPC (the peer sees an error and retries); the queue is sized so that only a
   * flood meets it, and each connection has at most {@code maxCallsPerConnection} calls open.
   */
  private static final String HEARTBEAT =
      org.fedlink.proto.v1.FleetGrpc.getHeartbeatMethod().getFullMethodName();

  private static ThreadPoolExecutor handlerExecutor(String name, int threads, int queue) {
    AtomicInteger n = new AtomicInteger();
    // One line per second at most, with the count: a flood must not also flood the log.
    java.util.concurrent.atomic.AtomicLong lastLog = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "superlink-" + name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (r, executor) -> {
              long count = refused.incrementAndGet();
              long now = System.nanoTime();
              long last = lastLog.get();
              if ((last == 0 || now - last >= 1_000_000_000L) && lastLog.compareAndSet(last, now)) {
                refused.set(0);
                log.warn(
                    "refusing calls: all {} {} threads busy and {} calls queued ({} refused since"
                        + " the last such line)",
                    threads,
                    name,
                    queue,
                    count);
              }
              throw new RejectedExecutionException("SuperLink handler queue full");
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private void stopHandlers() {
    if (heartbeatHandlers != null) {
      heartbeatHandlers.shutdownNow();
      heartbeatHandlers = null;
    }
    if (handlers != null) {
      handlers.shutdownNow();
      handlers = null;
    }
  }

  private void closeSharedKeys() {
    if (sharedKeys != null) {
      sharedKeys.close();
      sharedKeys = null;
    }
  }

  private void startAuthentication(SuperLinkAuthentication auth) {
    keysWatcher = new KeysWatcher(auth, config.home, this::disconnectRemoved).start();
    log.info(
        "node authentication on: {} node keys from {}, SuperLink key {}, timestamp window {} s",
        auth.nodeKeys().keys().size(),
        auth.nodeKeys().file(),
        auth.publicKey().fingerprint(),
        auth.timestampWindow().toSeconds());
    if (auth.researcherKeys() == null) {
      log.warn(
          "--allow-anonymous-control: the Control API is open to anyone who reaches this port"
              + " (they can list nodes, push tasks and read results); pass"
              + " --auth-list-researcher-public-keys to authenticate researchers");
    } else {
      log.info(
          "researcher authentication on: {} researcher keys from {}",
          auth.researcherKeys().keys().size(),
          auth.researcherKeys().file());
    }
  }

  private void disconnectRemoved(List<OpenSshPublicKey> removed) {
    for (OpenSshPublicKey key : removed) {
      for (long nodeId : coordinator.disconnectIdentity(key.blob(), "access denied")) {
        log.info("node {} disconnected: its key {} was removed", nodeId, key.fingerprint());
      }
    }
  }

  /**
   * Removes runs stopped more than the retention period ago, with their tasks, results, envelopes
   * and blobs, then gives the freed database pages back to the file system.
   */
  private void sweep() {
    try {
      SweepReport removed = retention.sweep(config.retention);
      if (!removed.isEmpty()) {
        state.reclaimSpace();
        log.info(
            "retention: removed {} (runs stopped more than {} day(s) ago)",
            removed,
            config.retention.toDays());
      }
    } catch (RuntimeException e) {
      // A full disk can make VACUUM fail; the rows are gone anyway and the next sweep retries.
      log.error("retention sweep failed: {}", e.getMessage(), e);
    }
  }

  private void checkPresence() {
    try {
      coordinator.checkPresence();
      if (presenceDiskFull) {
        presenceDiskFull = false;
        log.info("node presence is saved again: disk space is back");
      }
    } catch (RuntimeException e) {
      if (DiskSpace.isDiskFull(e)) {
        // Every tick would fail the same way: one line until space comes back.
        if (!presenceDiskFull) {
          presenceDiskFull = true;
          log.error("cannot save node presence: {}", e.getMessage());
        }
        return;
      }
      log.error("presence check failed", e);
    }
  }

  private void stopIdleRuns() {
    try {
      idleRuns.sweep();
    } catch (RuntimeException e) {
      log.error("idle run check failed", e);
    }
  }

  /** The idle-run check, for tests that move the clock and sweep at once. */
  public IdleRuns idleRuns() {
    return idleRuns;
  }

  /**
   * Netty on the configured address, or an in-process server when the address is {@link
   * Endpoint#inProcess} (a simulation: no socket, nothing on the network to protect).
   */
  private ServerBuilder<?> transport() {
    if (config.address.isInProcess()) {
      return InProcessServerBuilder.forName(config.address.inProcessName());
    }
    return NettyServerBuilder.forAddress(
            new InetSocketAddress(config.address.host(), config.address.port()), credentials())
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxConcurrentCallsPerConnection(config.maxCallsPerConnection);
  }

  private ServerCredentials credentials() {
    if (config.insecure) {
      return InsecureServerCredentials.create();
    }
    try {
      return TlsServerCredentials.newBuilder()
          .keyManager(config.certFile.toFile(), config.keyFile.toFile())
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use TLS certificate "
              + config.certFile
              + " with key "
              + config.keyFile
              + ": "
              + rootMessage(e)
              + " (the key must be an unencrypted PEM PKCS#8 key; convert one with"
              + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8`)",
          e);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return config.address.isInProcess() ? 0 : server.getPort();
  }

  /** The coordinator, for in-process extensions such as key revocation. */
  public Coordinator coordinator() {
    return coordinator;
  }

  /** What the server streams buffer for slow peers (for monitoring and tests). */
  public FlowGauge flowGauge() {
    return dispatcher.gauge();
  }

  /** What the SuperLink counts (also served on {@code [superlink] metrics_address}). */
  public SuperLinkMetrics metrics() {
    return metrics;
  }

  /** The port of the metrics endpoint, or -1 without one. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /** Blocks until the server stops. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    health.enterTerminalState();
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
      metricsEndpoint = null;
    }
    monitor.shutdownNow();
    sweeper.shutdown();
    try {
      // A sweep in progress finishes before the database closes under it.
      sweeper.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (keysWatcher != null) {
      keysWatcher.close();
      keysWatcher = null;
    }
    dispatcher.shutdown();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      coordinator.checkPresence();
    } catch (RuntimeException e) {
      log.debug("could not save presence on shutdown", e);
    }
    stopHandlers();
    closeSharedKeys();
    state.close();
    processLock.close();
    server = null;
    log.info("SuperLink stopped");
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  /** Settings of a SuperLink, validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private Endpoint address = new Endpoint("0.0.0.0", 9092);
    private boolean syncBlobs = true;
    private Path caFile;
    private Path certFile;
    private Path keyFile;
    private boolean insecure;
    private Path home = Path.of("fedlink-home", "superlink");
    private Path database;
    private Duration heartbeatInterval = Duration.ofSeconds(5);
    private Duration heartbeatTimeout;
    private final List<ServerInterceptor> fleetInterceptors = new ArrayList<>();
    private final List<ServerInterceptor> controlInterceptors = new ArrayList<>();
    private SuperLinkAuthentication authentication;
    private Duration runIdleTimeout = Duration.ofSeconds(3600);
    private Duration retention = Duration.ofDays(7);
    private Duration sweepInterval = Duration.ofHours(1);
    private long diskReserveBytes = BlobStore.DEFAULT_RESERVE_BYTES;
    private Clock clock = Clock.systemUTC();
    private Quotas quotas = Quotas.defaults();
    private int streamBufferMessages = Dispatcher.DEFAULT_STREAM_MESSAGES;
    private long streamBufferBytes = Dispatcher.DEFAULT_STREAM_BYTES;
    private int handlerThreads = 16;
    private int handlerQueue = 10_000;
    private int maxCallsPerConnection = 256;
    private Endpoint metricsAddress;

    private Builder() {}

    /**
     * Where to serve Prometheus metrics ({@code GET /metrics}, plain HTTP); null (the default) for
     * none ({@code [superlink] metrics_address}).
     */
    public Builder metricsAddress(Endpoint address) {
      this.metricsAddress = address;
      return this;
    }

    /** The limits of blobs, uploads and relayed envelopes; default {@link Quotas#defaults()}. */
    public Builder quotas(Quotas quotas) {
      this.quotas = Objects.requireNonNull(quotas, "quotas");
      return this;
    }

    /**
     * How long a run may go without a Control call naming it (and without a researcher waiting on
     * its results) before it is stopped; default 1 hour ({@code [superlink] run_idle_timeout_s}).
     */
    public Builder runIdleTimeout(Duration timeout) {
      this.runIdleTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How long a stopped run is kept (its tasks, results, envelopes and blobs) before the sweep
     * removes it; default 7 days ({@code [superlink] retention_days}). Open runs are never removed.
     */
    public Builder retention(Duration retention) {
      this.retention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /** How often the retention sweep runs; the first runs at start. Default 1 hour. */
    public Builder sweepInterval(Duration interval) {
      this.sweepInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Free disk space uploads may not eat into; default 64 MiB. */
    public Builder diskReserveBytes(long bytes) {
      this.diskReserveBytes = bytes;
      return this;
    }

    /**
     * The most one server stream (a node's tasks, a researcher's results) buffers for a peer that
     * reads slower than the SuperLink writes; past it the stream ends and the peer subscribes again
     * for what is pending. Default 256 messages, 8 MiB.
     */
    public Builder streamBuffer(int messages, long bytes) {
      this.streamBufferMessages = messages;
      this.streamBufferBytes = bytes;
      return this;
    }

    /**
     * The clock of stop times, blob records, the retention sweep and the run idle timeout; default
     * the system's (tests move their own).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The threads that run calls and the calls that may wait for one; default 16 and 10000. Open
     * streams hold no thread.
     */
    public Builder handlers(int threads, int queue) {
      this.handlerThreads = threads;
      this.handlerQueue = queue;
      return this;
    }

    /** Calls one connection may have open at once (HTTP/2 streams); default 256. */
    public Builder maxCallsPerConnection(int calls) {
      this.maxCallsPerConnection = calls;
      return this;
    }

    /**
     * Whether blobs are flushed to disk before they are recorded (default true). Turn off only for
     * state thrown away when the process ends, such as a simulation's: after a power loss a
     * recorded blob might not be whole.
     */
    public Builder syncBlobs(boolean sync) {
      this.syncBlobs = sync;
      return this;
    }

    public Builder address(Endpoint address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * TLS files: the server certificate and its PKCS#8 private key are required; the CA certificate
     * may be null and, if given, is checked at build to have issued the certificate.
     */
    public Builder tls(Path caFile, Path certFile, Path keyFile) {
      this.caFile = caFile;
      this.certFile = certFile;
      this.keyFile = keyFile;
      return this;
    }

    /** Plain text, for local development only. */
    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /**
     * The state database file, e.g. a configuration's {@code [default] db}, instead of {@code
     * <home>/superlink.sqlite}; blobs then go to {@code <file>-blobs} beside it.
     */
    public Builder database(Path file) {
      this.database = Objects.requireNonNull(file, "file");
      return this;
    }

    /** How often nodes send heartbeats; default 5 s. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Silence after which a node is offline; default 3 heartbeat intervals. */
    public Builder heartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = timeout;
      return this;
    }

    /** Interceptors of the Fleet API (node authentication), outermost last. */
    public Builder fleetInterceptor(ServerInterceptor interceptor) {
      fleetInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Interceptors of the Control API (researcher authentication). */
    public Builder controlInterceptor(ServerInterceptor interceptor) {
      controlInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * Authenticates every Fleet call against the node known keys and, if configured, every Control
     * call against the researcher known keys; the lists are re-read when their files change or a
     * {@link org.fedlink.superlink.auth.ReloadRequest} arrives. Requires TLS.
     */
    public Builder authentication(SuperLinkAuthentication authentication) {
      this.authentication = authentication;
      return this;
    }

    public boolean isInsecure() {
      return insecure;
    }

    /**
     * Validates the settings.
     *
     * @throws FedlinkException naming the missing or unusable setting
     */
    public SuperLink build() {
      if (heartbeatInterval.toMillis() < 50) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "heartbeat interval "
                + heartbeatInterval.toMillis()
                + " ms is too short: use >= 50 ms");
      }
      if (heartbeatTimeout == null) {
        heartbeatTimeout = heartbeatInterval.multipliedBy(3);
      }
      if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "heartbeat timeout must be longer than the interval ("
                + heartbeatInterval.toMillis()
                + " ms)");
      }
      if (runIdleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "run idle timeout "
                + runIdleTimeout.toMillis()
                + " ms is too short: use at least 1 s ([superlink] run_idle_timeout_s)");
      }
      if (retention.isNegative()) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "retention " + retention.toDays() + " days is negative: use 0 or more days");
      }
      if (sweepInterval.toMillis() < 1) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "retention sweep interval " + sweepInterval + " is too short: use at least 1 ms");
      }
      if (diskReserveBytes < 0) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "disk reserve " + diskReserveBytes + " bytes is negative: use 0 or more bytes");
      }
      if (streamBufferMessages < 1 || streamBufferBytes < 1) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "stream buffer of "
                + streamBufferMessages
                + " messages and "
                + streamBufferBytes
                + " bytes is too small: use at least 1 message and 1 byte");
      }
      if (handlerThreads < 1 || handlerQueue < 1 || maxCallsPerConnection < 1) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "handler threads ("
                + handlerThreads
                + "), handler queue ("
                + handlerQueue
                + ") and calls per connection ("
                + maxCallsPerConnection
                + ") must each be at least 1");
      }
      if (insecure && authentication != null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "node authentication requires TLS: remove --insecure and pass --ssl-certfile and"
                + " --ssl-keyfile (without TLS, models travel readable and nodes cannot tell the"
                + " real SuperLink)");
      }
      if (!insecure && !address.isInProcess()) {
        requireFile(certFile, "--ssl-certfile");
        requireFile(keyFile, "--ssl-keyfile");
        if (caFile != null) {
          requireFile(caFile, "--ssl-ca-certfile");
          CertificateChainCheck.requireIssuedBy(caFile, certFile);
        }
      }
      return new SuperLink(this);
    }

    private static void requireFile(Path file, String flag) {
      if (file == null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "TLS needs --ssl-certfile and --ssl-keyfile, but "
                + flag
                + " is missing (or pass --insecure for local development only)");
      }
      if (!Files.isReadable(file)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, flag + " " + file + " does not exist or is not readable");
      }
    }
  }
}
