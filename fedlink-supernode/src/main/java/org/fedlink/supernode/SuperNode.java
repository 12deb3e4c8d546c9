package org.fedlink.supernode;

import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.proto.v1.CreateNodeResponse;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.supernode.connection.FleetConnection;
import org.fedlink.supernode.datasets.DatasetRegistry;
import org.fedlink.supernode.datasets.DatasetSource;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.isolation.PlanWorkers;
import org.fedlink.supernode.plans.ApprovalDesk;
import org.fedlink.supernode.plans.NodePlans;
import org.fedlink.supernode.plans.PlanCache;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.supernode.plans.PlanResolver;
import org.fedlink.supernode.plans.PlanStore;
import org.fedlink.supernode.secagg.NodeSecureAggregation;
import org.fedlink.supernode.secagg.SecureAggregationSettings;
import org.fedlink.supernode.secagg.SqliteBiprimeStore;
import org.fedlink.supernode.task.TaskPolicy;
import org.fedlink.supernode.task.TaskRunner;
import org.fedlink.transport.Backoff;
import org.fedlink.transport.BlobTransfer;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.SmallBlobs;
import org.fedlink.transport.Statuses;
import org.fedlink.transport.TaskKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SuperNode: dials out to the SuperLink, keeps its registration alive with heartbeats, receives
 * tasks over a server stream and runs them on the site's registered datasets. It reconnects with
 * backoff whenever the SuperLink goes away, and a failing task only produces an error result.
 *
 * <p>Build with {@link #builder()}, {@link #start()} it, {@link #close()} to stop.
 */
public final class SuperNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SuperNode.class);
  private static final Duration RETRY_LIMIT = Duration.ofMinutes(5);

  private final Builder config;
  private final SqliteDatabase db;
  private final ProcessLock processLock;
  private final DatasetRegistry datasets;
  private final PlanStore planStore;
  private final TaskRunner runner;
  private final PlanResolver plans;
  private final NodeSecureAggregation secagg;
  private final FleetConnection connection;
  private final byte[] identity;
  private final ExecutorService workers;
  private final ScheduledExecutorService heartbeats;

  /** Runs, one at a time in arrival order, what the task stream brings besides tasks. */
  private final java.util.concurrent.Executor control;

  private final Set<String> seenTasks =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
              return size() > 100_000;
            }
          });
  private final CountDownLatch registered = new CountDownLatch(1);
  private final NodeActivity activity;
  private org.fedlink.transport.MetricsEndpoint metricsEndpoint;
  private volatile boolean closed;
  private volatile long nodeId;
  private volatile String lastError;
  private volatile Context.CancellableContext streamContext;
  private volatile ScheduledFuture<?> heartbeat;
  private final Backoff backoff;

  private SuperNode(Builder b) {
    this.config = b;
    // Every node of a federation loses its SuperLink at the same moment when it restarts: spread
    // out, their attempts reach the new process at a steady rate rather than in waves.
    this.backoff = Backoff.spread(b.initialBackoff, b.maxBackoff);
    NodeHost host = b.host;
    Path databaseFile =
        host != null
            ? host.databaseFile()
            : b.database != null ? b.database : b.home.resolve("node.sqlite");
    // One node per database: a second process refuses to start, naming the first. Nodes on a
    // shared host use the host's database, which the host holds.
    this.processLock = host != null ? null : ProcessLock.acquire(databaseFile, "node database");
    try {
      this.db = host != null ? host.database() : NodeDatabase.openFile(databaseFile);
    } catch (RuntimeException e) {
      if (processLock != null) {
        processLock.close();
      }
      throw e;
    }
    try {
      this.datasets = new DatasetRegistry(db);
      this.planStore = new PlanStore(db);
      PlanCache cache = new PlanCache(NodeDatabase.planCache(databaseFile));
      this.plans =
          b.plans != null
              ? b.plans
              : new NodePlans(b.planPolicy, planStore, cache, b.planIsolation);
      this.secagg =
          new NodeSecureAggregation(
              b.secureAggregation.withBiprimesIfAbsent(new SqliteBiprimeStore(db)), this::relay);
      this.runner =
          new TaskRunner(
              b.datasetSource != null ? b.datasetSource : datasets,
              plans,
              withPolicy(b.policies, secagg),
              Map.of(
                  TaskKeys.KIND_APPROVAL_REQUEST, new ApprovalDesk(b.planPolicy, planStore, cache)),
              secagg,
              new org.fedlink.supernode.task.ControlVariateStore(
                  db, java.time.InstantSource.system()));
      this.identity = b.identity != null ? b.identity.get() : NodeDatabase.identityToken(db);
      this.connection =
          new FleetConnection(b.superlink, b.rootCertificates, b.interceptors, b.connectionTimeout);
    } catch (RuntimeException e) {
      closeDatabase();
      throw e;
    }
    this.activity =
        new NodeActivity(
            java.time.InstantSource.system(),
            () -> planWorkers().map(PlanWorkers::restarts).orElse(0L));
    this.workers =
        host != null
            ? host.tasks()
            : Executors.newFixedThreadPool(
                b.workers,
                r -> {
                  Thread t = new Thread(r, "supernode-task");
                  t.setDaemon(true);
                  return t;
                });
    this.heartbeats =
        host != null
            ? host.scheduler()
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "supernode-connection");
                  t.setDaemon(true);
                  return t;
                });
    this.control = com.google.common.util.concurrent.MoreExecutors.newSequentialExecutor(STREAM);
  }

  /**
   * Threads for what a task stream brings besides tasks, shared by every node of the JVM (as gRPC's
   * own callback threads are); each node's share is run in order by {@link #control}.
   */
  private static final ExecutorService STREAM =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "supernode-stream");
            t.setDaemon(true);
            return t;
          });

  private void closeDatabase() {
    if (config.host == null) {
      db.close();
      processLock.close();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the MPC endpoint (secure aggregation with {@code [mpc] transport = direct}) and the
   * connection loop (on the heartbeat scheduler: no thread of its own).
   *
   * @throws FedlinkException if the MPC endpoint cannot start
   */
  public synchronized SuperNode start() {
    log.info(
        "SuperNode{} starting: dialing the SuperLink at {} ({}, {})",
        config.componentId.isEmpty() ? "" : " " + config.componentId,
        config.superlink,
        config.insecure ? "INSECURE, no TLS" : "TLS, CA " + config.rootCertificates,
        config.authentication != null
            ? "node authentication with key " + config.authentication.fingerprint()
            : "no node authentication");
    config.planIsolation.warning().ifPresent(w -> log.warn("{}", w));
    secagg.start();
    if (config.metricsAddress != null) {
      metricsEndpoint =
          org.fedlink.transport.MetricsEndpoint.start(
              config.metricsAddress.host(),
              config.metricsAddress.port(),
              activity::scrape,
              "SuperNode");
    }
    heartbeats.execute(this::connect);
    return this;
  }

  /** The node's datasets. */
  public DatasetRegistry datasets() {
    return datasets;
  }

  /** The training plans this node received and their approval status. */
  public PlanStore plans() {
    return planStore;
  }

  /**
   * The workers running researchers' plans, unless plans run in-process or are resolved otherwise.
   */
  public Optional<PlanWorkers> planWorkers() {
    return plans instanceof NodePlans n ? Optional.ofNullable(n.workers()) : Optional.empty();
  }

  /** The node's last tasks and counters. */
  public NodeActivity activity() {
    return activity;
  }

  /** The port of the metrics endpoint, or -1 without one. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /** The settings this node was built with (read-only views for status pages). */
  public Settings settings() {
    return new Settings(
        config.superlink,
        config.insecure,
        config.authentication == null ? null : config.authentication.fingerprint(),
        config.planPolicy,
        config.planIsolation,
        config.componentId);
  }

  /**
   * What a node's admin may see of its settings.
   *
   * @param keyFingerprint the node's authentication key, null without node authentication
   */
  public record Settings(
      Endpoint superlink,
      boolean insecure,
      String keyFingerprint,
      PlanPolicy planPolicy,
      PlanIsolation planIsolation,
      String componentId) {}

  /** The node id given by the SuperLink, 0 before the first registration. */
  public long nodeId() {
    return nodeId;
  }

  /** The last connection problem as shown to the user, or null while connected. */
  public String lastError() {
    return lastError;
  }

  /** Waits until the node has registered once. */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    return registered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Registers, starts heartbeats and subscribes to the task stream; on any failure, and when the
   * stream ends, tries again after the backoff. Runs on the heartbeat scheduler and in gRPC's
   * callbacks, never holding a thread of its own while connected, so that one JVM can hold
   * thousands of nodes. One attempt at a time: the next is scheduled only when the last ended.
   */
  private void connect() {
    if (closed) {
      return;
    }
    try {
      connection.resetBackoff();
      CreateNodeResponse r = connection.createNode(identity, config.componentId);
      if (nodeId != r.getNodeId()) {
        log.info(
            "registered with the SuperLink at {} as node {}{}",
            config.superlink,
            r.getNodeId(),
            config.componentId.isEmpty() ? "" : " (" + config.componentId + ")");
      } else if (lastError != null) {
        log.info("reconnected to the SuperLink at {} as node {}", config.superlink, nodeId);
      }
      nodeId = r.getNodeId();
      lastError = null;
      backoff.reset();
      registered.countDown();
      long interval = Math.max(50, r.getHeartbeatIntervalMs());
      heartbeat =
          heartbeats.scheduleAtFixedRate(
              this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
      subscribe();
    } catch (StatusRuntimeException e) {
      ended(e);
    } catch (RuntimeException e) {
      ended(e);
    }
  }

  private void subscribe() {
    Context.CancellableContext ctx = Context.current().withCancellation();
    streamContext = ctx;
    ctx.run(
        () ->
            connection.subscribe(
                nodeId,
                new StreamObserver<>() {
                  @Override
                  public void onNext(NodeMessage m) {
                    // Tasks and their inline models are taken on the transport's thread (a set,
                    // a map and a hand-off to the task pool): no thread hand-off before the
                    // task's own. The rest (ending a run's plan workers, envelopes for secure
                    // aggregation) may block, so it runs off that thread, in arrival order.
                    if (m.hasTask() || m.hasBlob()) {
                      handle(m);
                    } else {
                      try {
                        control.execute(() -> handle(m));
                      } catch (java.util.concurrent.RejectedExecutionException e) {
                        // the node or its host is closing
                      }
                    }
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended(t);
                  }

                  @Override
                  public void onCompleted() {
                    ended(null);
                  }
                },
                com.google.common.util.concurrent.MoreExecutors.directExecutor()));
  }

  private void handle(NodeMessage m) {
    if (m.hasBlob()) {
      connection.acceptInline(m.getBlob());
    } else if (m.hasTask()) {
      accept(m.getTask());
    } else if (m.getKindCase() == NodeMessage.KindCase.RUN_STOPPED) {
      plans.runStopped(m.getRunStopped());
    } else if (m.hasEnvelope()) {
      connection.receive(
          m.getEnvelope(),
          e -> {
            if (!secagg.offer(e)) {
              config.envelopes.accept(e);
            }
          });
    }
  }

  /** The attempt or the stream ended ({@code failure} null: the SuperLink closed it). */
  private void ended(Throwable failure) {
    ScheduledFuture<?> beat = heartbeat;
    if (beat != null) {
      beat.cancel(false);
    }
    Context.CancellableContext ctx = streamContext;
    if (ctx != null) {
      ctx.cancel(null);
    }
    if (closed) {
      return;
    }
    if (failure == null) {
      report("the SuperLink closed the task stream; reconnecting");
    } else if (failure instanceof StatusRuntimeException e) {
      report(describe(e));
    } else if (failure instanceof io.grpc.StatusException e) {
      report(describe(e.getStatus().asRuntimeException(e.getTrailers())));
    } else {
      log.error("unexpected error in the connection loop", failure);
      report("unexpected error: " + failure);
    }
    try {
      heartbeats.schedule(this::connect, backoff.nextDelayMs(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the node or its host is closing
    }
  }

  private void accept(Task task) {
    synchronized (seenTasks) {
      if (!seenTasks.add(task.getTaskId())) {
        return;
      }
    }
    log.info(
        "task {} received: {} round {} of run {}",
        task.getTaskId(),
        task.getKind(),
        task.getRound(),
        task.getRunId());
    activity.received(task);
    boolean waitsOnPeers =
        task.getKind().equals(org.fedlink.crypto.secagg.protocol.SecAggKeys.KIND_SETUP);
    (config.host != null && waitsOnPeers ? config.host.exchanges() : workers)
        .execute(() -> execute(task));
  }

  private void execute(Task task) {
    long id = nodeId;
    // Small outputs are held back and travel with the result: one call instead of two.
    Map<String, byte[]> held = new LinkedHashMap<>();
    TaskResult result =
        runner.run(
            id,
            task,
            new TaskRunner.Blobs() {
              @Override
              public byte[] download(String blobId) {
                return retrying("download " + blobId, () -> connection.download(id, blobId));
              }

              @Override
              public String upload(byte[] data) {
                if (SmallBlobs.fitsInline(data.length)) {
                  String blobId = BlobTransfer.newBlobId();
                  held.put(blobId, data);
                  return blobId;
                }
                return retrying("upload", () -> connection.upload(id, data));
              }
            });
    activity.finished(task, result);
    if (config.host != null) {
      // On a shared host the task pool's size caps trainings: the result travels on another
      // pool, so the training slot is free while the push waits for the SuperLink.
      try {
        config.host.deliveries().execute(() -> deliver(id, task, result, held));
        return;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // the host is closing
      }
    }
    deliver(id, task, result, held);
  }

  private void deliver(long id, Task task, TaskResult result, Map<String, byte[]> held) {
    try {
      byte[] inline = held.remove(result.getBlobId());
      for (Map.Entry<String, byte[]> other : held.entrySet()) {
        retrying("upload", () -> connection.upload(id, other.getKey(), other.getValue()));
      }
      retrying(
          "push result",
          () -> {
            connection.pushResult(id, result, inline);
            return null;
          });
      log.info(
          "task {} done: {}",
          task.getTaskId(),
          result.getStatus().getCode() == 0 ? "ok" : result.getStatus().getMessage());
    } catch (RuntimeException e) {
      log.error("could not deliver the result of task {}: {}", task.getTaskId(), e.getMessage());
    }
  }

  /** Retries transient failures (the SuperLink restarting) for a while. */
  private <T> T retrying(String what, Supplier<T> call) {
    Backoff backoff = new Backoff(config.initialBackoff, config.maxBackoff);
    long deadline = System.nanoTime() + RETRY_LIMIT.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (closed || !Statuses.isTransient(e) || System.nanoTime() > deadline) {
          if (e instanceof StatusRuntimeException s) {
            throw Statuses.fromStatus(s, what);
          }
          throw e;
        }
        log.info("{} failed ({}); retrying", what, e.getMessage());
        connection.resetBackoff();
        try {
          backoff.pause();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new FedlinkException(ErrorCode.CANCELLED, what + " interrupted");
        }
      }
    }
  }

  private void relay(List<Envelope> envelopes) {
    long id = nodeId;
    retrying(
        "relay",
        () -> {
          connection.relay(id, envelopes);
          return null;
        });
  }

  private static List<TaskPolicy> withPolicy(List<TaskPolicy> p, NodeSecureAggregation secagg) {
    List<TaskPolicy> all = new ArrayList<>(p);
    all.add(secagg.policy());
    return all;
  }

  private void heartbeat() {
    try {
      connection.heartbeat(nodeId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        Context.CancellableContext ctx = streamContext;
        if (ctx != null) {
          ctx.cancel(e);
        }
      }
      log.debug("heartbeat failed: {}", e.getStatus());
    } catch (RuntimeException | Error e) {
      // A scheduled task that throws is never run again: the node would go silent for good.
      log.error("heartbeat failed; the next one follows on schedule", e);
    }
  }

  private void report(String message) {
    if (!message.equals(lastError)) {
      log.warn("{}", message);
    }
    lastError = message;
  }

  private String describe(StatusRuntimeException e) {
    Status s = e.getStatus();
    String where = "the SuperLink at " + config.superlink;
    if (s.getCode() == Status.Code.UNAUTHENTICATED) {
      return config.authFailureMessage.apply(e);
    }
    Throwable tls = tlsCause(e);
    if (tls != null) {
      return "cannot verify the TLS certificate of "
          + where
          + " with the root certificates "
          + config.rootCertificates
          + ": "
          + tls.getMessage()
          + ". Check that --root-certificates is the CA that signed the SuperLink's certificate"
          + " and that the host name matches it. Retrying.";
    }
    if (s.getCode() == Status.Code.UNAVAILABLE || s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return where + " is unavailable (" + shortCause(e) + "); retrying with backoff";
    }
    return where + " refused the connection: " + s.getCode() + " " + s.getDescription();
  }

  private static Throwable tlsCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException
          || c instanceof java.security.cert.CertificateException) {
        Throwable root = c;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        return root;
      }
    }
    return null;
  }

  private static String shortCause(StatusRuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String d = e.getStatus().getDescription();
    return root != e && root.getMessage() != null ? root.getMessage() : d == null ? "no detail" : d;
  }

  /** Stops receiving tasks, leaving the node registered (it rejoins as itself next time). */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    Context.CancellableContext ctx = streamContext;
    if (ctx != null) {
      ctx.cancel(null);
    }
    ScheduledFuture<?> beat = heartbeat;
    if (beat != null) {
      beat.cancel(false);
    }
    boolean shared = config.host != null;
    if (!shared) {
      heartbeats.shutdownNow();
    }
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    if (!shared || config.plans == null) {
      plans.close(); // ends plan workers, so a task waiting on one returns at once
    }
    if (!shared) {
      workers.shutdownNow();
    }
    secagg.close();
    connection.close();
    if (!shared) {
      try {
        workers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeDatabase();
  }

  /** Settings of a SuperNode, validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private Endpoint superlink;
    private Path rootCertificates;
    private boolean insecure;
    private Path home = Path.of("fedlink-home", "supernode");
    private Supplier<byte[]> identity;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private final List<TaskPolicy> policies = new ArrayList<>();
    private PlanResolver plans;
    private PlanPolicy planPolicy = PlanPolicy.defaults();
    private PlanIsolation planIsolation = PlanIsolation.defaults();
    private Path database;
    private Consumer<Envelope> envelopes = e -> log.debug("envelope ignored: {}", e.getTopic());
    private java.util.function.Function<StatusRuntimeException, String> authFailureMessage =
        e -> "the SuperLink refused this node: " + e.getStatus().getDescription();
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Duration connectionTimeout = ClientChannels.DEFAULT_CONNECTION_TIMEOUT;
    private int workers = 1;
    private org.fedlink.supernode.auth.NodeAuthentication authentication;
    private SecureAggregationSettings secureAggregation = SecureAggregationSettings.disabled();
    private Endpoint metricsAddress;
    private String componentId = "";
    private NodeHost host;
    private DatasetSource datasetSource;

    private Builder() {}

    /**
     * Runs this node on {@code host}'s shared database and threads instead of its own (many nodes
     * in one JVM, e.g. a simulation). The node's identity must then be given ({@link #identity}):
     * the shared database cannot give each node its own. A resolver given with {@link #plans} is
     * taken as shared too and left open when the node closes.
     */
    public Builder host(NodeHost host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Where tasks read data instead of the node's registered datasets (a simulated node's partition
     * in memory).
     */
    public Builder datasetSource(DatasetSource source) {
      this.datasetSource = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Where to serve the node's Prometheus metrics ({@code GET /metrics}, plain HTTP); null (the
     * default) for none ({@code [supernode] metrics_address}).
     */
    public Builder metricsAddress(Endpoint address) {
      this.metricsAddress = address;
      return this;
    }

    /**
     * The node's component id from its configuration ({@code [default] id}, e.g. {@code
     * NODE_8bc2...}): sent when registering and logged, so people see it beside the numeric node
     * id. Default none.
     */
    public Builder componentId(String componentId) {
      this.componentId = Objects.requireNonNull(componentId, "componentId");
      return this;
    }

    /** Secure-aggregation policy, identity and biprimes; default disabled. */
    public Builder secureAggregation(SecureAggregationSettings settings) {
      this.secureAggregation = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public Builder superlink(Endpoint superlink) {
      this.superlink = Objects.requireNonNull(superlink, "superlink");
      return this;
    }

    /** The CA file the SuperLink's certificate must chain to. */
    public Builder rootCertificates(Path file) {
      this.rootCertificates = file;
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
     * The node database file, e.g. a configuration's {@code [default] db}; by default {@code
     * <home>/node.sqlite}. Received plan JARs are kept beside it.
     */
    public Builder database(Path file) {
      this.database = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Which training plans run here; default {@link PlanPolicy#defaults()}. */
    public Builder planPolicy(PlanPolicy policy) {
      this.planPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where researchers' training plans run and within which limits; default {@link
     * PlanIsolation#defaults()} (a bubblewrap sandbox, 1024 MiB, 600 s per task).
     */
    public Builder planIsolation(PlanIsolation isolation) {
      this.planIsolation = Objects.requireNonNull(isolation, "isolation");
      return this;
    }

    /** The identity sent in CreateNode (a public key with authentication); default a token. */
    public Builder identity(Supplier<byte[]> identity) {
      this.identity = identity;
      return this;
    }

    /**
     * Authenticates every Fleet call with the node's key: sets the identity (the public key), the
     * signing interceptor and the message printed when the SuperLink refuses the node. Requires
     * TLS.
     */
    public Builder authentication(org.fedlink.supernode.auth.NodeAuthentication authentication) {
      this.authentication = Objects.requireNonNull(authentication, "authentication");
      this.identity = authentication::identity;
      this.interceptors.add(authentication.interceptor());
      this.authFailureMessage = s -> authentication.refusedMessage(String.valueOf(superlink), s);
      return this;
    }

    public Builder interceptor(ClientInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    public Builder policy(TaskPolicy policy) {
      policies.add(Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /** Replaces the policy-checking resolver ({@link NodePlans}) with {@code plans}. */
    public Builder plans(PlanResolver plans) {
      this.plans = Objects.requireNonNull(plans, "plans");
      return this;
    }

    /** Receives envelopes relayed to this node. */
    public Builder envelopes(Consumer<Envelope> handler) {
      this.envelopes = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Turns an UNAUTHENTICATED status into the line the user sees. */
    public Builder authFailureMessage(
        java.util.function.Function<StatusRuntimeException, String> message) {
      this.authFailureMessage = Objects.requireNonNull(message, "message");
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long the SuperLink may stay silent (data unacknowledged, keepalive unanswered) before the
     * node drops its connection and dials again (default 20 s): a cut link is noticed this long
     * after it fails, whatever TCP's own retransmission timers would wait.
     *
     * @throws IllegalArgumentException if not between 1 s and 10 min
     */
    public Builder connectionTimeout(Duration timeout) {
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0
          || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "connection timeout must be 1 s to 600 s, got " + timeout.toMillis() + " ms");
      }
      this.connectionTimeout = timeout;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * Validates the settings and opens the node's database.
     *
     * @throws FedlinkException naming the missing or unusable setting
     */
    public SuperNode build() {
      if (superlink == null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "--superlink HOST:PORT is required: where the SuperLink listens");
      }
      if (insecure && authentication != null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "node authentication requires TLS: remove --insecure and pass --root-certificates"
                + " CA_FILE (without TLS the node cannot tell the real SuperLink)");
      }
      if (insecure == (rootCertificates != null)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            insecure
                ? "--insecure and --root-certificates exclude each other"
                : "--root-certificates CA_FILE is required to verify the SuperLink (or --insecure"
                    + " for local development only)");
      }
      if (rootCertificates != null && !Files.isReadable(rootCertificates)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "--root-certificates " + rootCertificates + " does not exist or is not readable");
      }
      if (workers < 1) {
        throw new FedlinkException(ErrorCode.CONFIGURATION, "workers must be at least 1");
      }
      if (host != null && identity == null) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "a node on a shared host needs its own identity: set identity(...) or authentication");
      }
      return new SuperNode(this);
    }
  }
}
