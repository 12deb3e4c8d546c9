package org.fedlink.bench.swarm;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenSigner;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.PushTasksStreamResultsRequest;
import org.fedlink.proto.v1.ResultsMessage;
import org.fedlink.proto.v1.StreamResultsRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.transport.SigningInterceptor;

/**
 * A load generator for one SuperLink process: M light SuperNodes, each with its own TLS connection
 * and OpenSSH ECDSA key signing every call with the nodes' {@link SigningInterceptor}, all on two
 * shared Netty event loops and a small callback pool (no thread per node). It starts the SuperLink
 * ({@link SwarmSuperLink}, its own JVM, {@code -Xmx2g}), registers the nodes, then measures:
 *
 * <ol>
 *   <li>steady state: every node heartbeating at the SuperLink's interval; the SuperLink's average
 *       CPU (cores), peak heap, and the heartbeat latency seen by the nodes (p50, p99, max);
 *   <li>rounds: one task with a tiny model (248 bytes, inline) pushed to {@code roundNodes} nodes,
 *       each answering at once with a 248-byte update inline, pushed with its model in one {@code
 *       PushTasksStreamResults} call; time from that call to the last result on its stream;
 *   <li>restart: SIGKILL of the SuperLink, a new process on the same state and port; time until
 *       every node is registered again, and how many were given a new id (must be 0).
 * </ol>
 *
 * Usage: {@code Swarm [nodes=1000] [measureSeconds=60] [roundNodes=1000] [rounds=3] [restart=true]
 * [heartbeatSeconds=5]}.
 */
public final class Swarm {
  final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "swarm-scheduler");
            t.setDaemon(true);
            return t;
          });
  final Histogram heartbeats = new Histogram();
  final LongAdder failedHeartbeats = new LongAdder();
  final LongAdder failedRegistrations = new LongAdder();
  final LongAdder failedResults = new LongAdder();
  final LongAdder newIds = new LongAdder();
  private final AtomicInteger onlineCount = new AtomicInteger();
  private final AtomicInteger registrations = new AtomicInteger();
  private volatile Stats latest;
  private final List<Stats> samples = new ArrayList<>();

  private record Stats(long nanos, long cpuNanos, long heapUsed, long heapCommitted, int threads) {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int roundNodes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    boolean restart = args.length <= 4 || Boolean.parseBoolean(args[4]);
    int heartbeat = args.length > 5 ? Integer.parseInt(args[5]) : 5;
    new Swarm().run(nodes, measure, Math.min(roundNodes, nodes), rounds, restart, heartbeat);
    System.exit(0);
  }

  private void run(
      int nodes, int measure, int roundNodes, int rounds, boolean restart, int heartbeat)
      throws Exception {
    Path dir = Files.createTempDirectory("fedlink-swarm-");
    System.out.printf(
        Locale.ROOT,
        "%d nodes, heartbeat %d s, measured %d s, rounds of %d nodes, %d cores, %s %s, load %s%n",
        nodes,
        heartbeat,
        measure,
        roundNodes,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        load());
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    Path linkKey = dir.resolve("keys/superlink");
    Files.createDirectories(linkKey.getParent());
    OpenSshPublicKey linkPublic = OpenSshKeys.generate(linkKey, "nistp384", "superlink");
    long t0 = System.nanoTime();
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp384r1"));
    List<KeyPair> keys = new ArrayList<>();
    StringBuilder known = new StringBuilder();
    for (int i = 0; i < nodes; i++) {
      KeyPair k = gen.generateKeyPair();
      keys.add(k);
      known
          .append(OpenSshPublicKey.of((ECPublicKey) k.getPublic(), "swarm-" + i).toLine())
          .append('\n');
    }
    Path knownFile = dir.resolve("keys/nodes.csv");
    Files.writeString(knownFile, known);
    System.out.printf(Locale.ROOT, "keys: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> linkCommand =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx2g",
            "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
            "-cp",
            System.getProperty("java.class.path"),
            SwarmSuperLink.class.getName(),
            dir.resolve("home").toString(),
            Integer.toString(port),
            tls.caCertificate().toString(),
            tls.serverCertificate().toString(),
            tls.serverKey().toString(),
            knownFile.toString(),
            linkKey.toString(),
            Integer.toString(heartbeat));
    Process link = startLink(linkCommand, dir.resolve("superlink.log"));
    EventLoopGroup loops = new NioEventLoopGroup(2);
    ExecutorService callbacks = Executors.newFixedThreadPool(2);
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder().trustManager(tls.caCertificate().toFile()).build();
    List<SwarmNode> swarm = new ArrayList<>();
    try {
      t0 = System.nanoTime();
      // Each signer derives its node's key (one ECDH): on every core, before anything is measured.
      List<TokenSigner> signers =
          keys.parallelStream()
              .map(
                  k -> {
                    try {
                      return new TokenSigner(k, linkPublic);
                    } catch (java.security.GeneralSecurityException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .toList();
      for (int i = 0; i < nodes; i++) {
        KeyPair k = keys.get(i);
        TokenSigner signer = signers.get(i);
        List<ClientInterceptor> signing =
            List.of(new SigningInterceptor((m, body) -> headers(signer.sign(m, body))));
        ManagedChannel c =
            NettyChannelBuilder.forAddress("localhost", port, credentials)
                .eventLoopGroup(loops)
                .channelType(NioSocketChannel.class)
                .executor(callbacks)
                .intercept(signing)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
        ByteString identity =
            ByteString.copyFrom(OpenSshPublicKey.of((ECPublicKey) k.getPublic(), null).blob());
        swarm.add(new SwarmNode(this, i, identity, c));
      }
      System.out.printf(
          Locale.ROOT, "channels and signers: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      for (SwarmNode n : swarm) {
        n.connect();
      }
      awaitOnline(nodes, 600);
      System.out.printf(
          Locale.ROOT,
          "registered %d nodes in %.1f s (%d registrations refused and retried)%s%n",
          nodes,
          (System.nanoTime() - t0) / 1e9,
          failedRegistrations.sum(),
          reasons());
      long periodMs = heartbeat * 1000L;
      // One interval for every node to have sent its first heartbeat, then measure.
      Thread.sleep(periodMs + 2000);
      steady(measure);
      for (int r = 0; r < rounds; r++) {
        round(port, tls.caCertificate(), swarm.subList(0, roundNodes), r + 1);
      }
      if (restart) {
        restart(link, linkCommand, dir.resolve("superlink.log"), nodes);
        link = null;
        Thread.sleep(periodMs + 2000);
        steady(Math.min(measure, 30));
      }
    } finally {
      for (SwarmNode n : swarm) {
        n.channel().shutdownNow();
      }
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      if (link != null) {
        link.destroyForcibly();
      }
      if (current != null) {
        current.destroyForcibly();
      }
    }
  }

  private Process current;

  private Process startLink(List<String> command, Path log) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    current = p;
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var out =
                      Files.newBufferedWriter(
                          log,
                          StandardCharsets.UTF_8,
                          java.nio.file.StandardOpenOption.CREATE,
                          java.nio.file.StandardOpenOption.APPEND)) {
                String line;
                while ((line = in.readLine()) != null) {
                  String[] f = line.split(" ");
                  if (line.startsWith("stats ") && f.length == 6 && f[5].matches("[0-9]+")) {
                    Stats s =
                        new Stats(
                            Long.parseLong(f[1]),
                            Long.parseLong(f[2]),
                            Long.parseLong(f[3]),
                            Long.parseLong(f[4]),
                            Integer.parseInt(f[5]));
                    latest = s;
                    synchronized (samples) {
                      samples.add(s);
                    }
                  } else {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.startsWith("startup:") || line.contains("shared keys:")) {
                      System.out.println("  superlink " + line);
                    }
                    if (line.startsWith("SuperLink listening on")) {
                      listening.complete(null);
                    }
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              listening.complete(null);
            },
            "swarm-link-output");
    reader.setDaemon(true);
    reader.start();
    listening.get(120, TimeUnit.SECONDS);
    if (!p.isAlive()) {
      throw new IllegalStateException("the SuperLink exited; see " + log);
    }
    return p;
  }

  private void awaitOnline(int nodes, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (onlineCount.get() < nodes && System.nanoTime() < deadline) {
      Thread.sleep(50);
      if (System.nanoTime() > nextReport) {
        System.out.printf(
            Locale.ROOT,
            "  ... %d of %d online (registrations refused so far: %s)%n",
            onlineCount.get(),
            nodes,
            refusals());
        nextReport += TimeUnit.SECONDS.toNanos(10);
      }
    }
    if (onlineCount.get() < nodes) {
      throw new IllegalStateException(
          "only " + onlineCount.get() + " of " + nodes + " nodes online after " + seconds + " s");
    }
  }

  /**
   * Registrations in flight at most. The swarm's nodes share two event loops, where real nodes each
   * have a machine: unbounded, 10,000 nodes dialing at once queue their TLS handshakes behind each
   * other on those two threads until they pass the handshake timeout, fail and dial again, and the
   * load generator, not the SuperLink, stops making progress. A node waiting for a slot has not
   * registered and counts as not back.
   */
  static final int REGISTRATIONS_IN_FLIGHT = 256;

  private final java.util.concurrent.Semaphore inFlight =
      new java.util.concurrent.Semaphore(REGISTRATIONS_IN_FLIGHT);
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> waiting =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Runs {@code registration} now if a slot is free, else when one is. */
  void admit(Runnable registration) {
    waiting.add(registration);
    drain();
  }

  /** Frees the slot of a registration that ended. */
  void release() {
    inFlight.release();
    drain();
  }

  private void drain() {
    while (!waiting.isEmpty() && inFlight.tryAcquire()) {
      Runnable next = waiting.poll();
      if (next == null) {
        inFlight.release();
        return;
      }
      next.run();
    }
  }

  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> refusals =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> reasons =
      new java.util.concurrent.ConcurrentHashMap<>();

  void refusal(Throwable t) {
    io.grpc.Status status = io.grpc.Status.fromThrowable(t);
    String why = status.getCode().name();
    refusals.computeIfAbsent(why, k -> new LongAdder()).increment();
    // What the refusals were, by the status description without numbers (ports, counts).
    String description = String.valueOf(status.getDescription()).replaceAll("[0-9]+", "N");
    if (reasons.size() < 50 || reasons.containsKey(description)) {
      reasons.computeIfAbsent(description, k -> new LongAdder()).increment();
    }
  }

  private String reasons() {
    StringBuilder b = new StringBuilder();
    reasons.entrySet().stream()
        .sorted((x, y) -> Long.compare(y.getValue().sum(), x.getValue().sum()))
        .limit(5)
        .forEach(
            e -> b.append("\n    ").append(e.getValue().sum()).append(" x ").append(e.getKey()));
    reasons.clear();
    return b.toString();
  }

  private String refusals() {
    StringBuilder b = new StringBuilder();
    refusals.forEach(
        (k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
    return b.toString();
  }

  void cameOnline(SwarmNode n) {
    if (n.startHeartbeats()) {
      // Each node heartbeats from its first registration on, at a random phase of the interval.
      long periodMs = n.heartbeatMs();
      scheduler.scheduleAtFixedRate(
          n::heartbeat,
          ThreadLocalRandom.current().nextLong(periodMs),
          periodMs,
          TimeUnit.MILLISECONDS);
    }
    onlineCount.incrementAndGet();
    registrations.incrementAndGet();
  }

  void wentOffline(SwarmNode n) {
    onlineCount.decrementAndGet();
  }

  private void steady(int seconds) throws InterruptedException {
    heartbeats.reset();
    long failedBefore = failedHeartbeats.sum();
    Stats first = latest;
    int fromSample;
    synchronized (samples) {
      fromSample = samples.size();
    }
    Thread.sleep(seconds * 1000L);
    Stats last = latest;
    long peakUsed = 0;
    long peakCommitted = 0;
    int peakThreads = 0;
    synchronized (samples) {
      for (Stats s : samples.subList(fromSample, samples.size())) {
        peakUsed = Math.max(peakUsed, s.heapUsed());
        peakCommitted = Math.max(peakCommitted, s.heapCommitted());
        peakThreads = Math.max(peakThreads, s.threads());
      }
    }
    double cores = (double) (last.cpuNanos() - first.cpuNanos()) / (last.nanos() - first.nanos());
    double wall = (last.nanos() - first.nanos()) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "steady %d s: %d online, %.0f heartbeats/s, latency p50 %.1f ms p99 %.1f ms max %.1f ms,"
            + " %d failed; SuperLink CPU %.2f cores, heap peak %d MB used / %d MB committed,"
            + " %d threads; load %s%n",
        seconds,
        onlineCount.get(),
        heartbeats.count() / wall,
        heartbeats.percentileMs(50),
        heartbeats.percentileMs(99),
        heartbeats.maxMs(),
        failedHeartbeats.sum() - failedBefore,
        cores,
        peakUsed >> 20,
        peakCommitted >> 20,
        peakThreads,
        load());
  }

  private void round(int port, Path ca, List<SwarmNode> nodes, int number) throws Exception {
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("localhost", port, credentials)
            .maxInboundMessageSize(16 << 20)
            .build();
    try {
      ControlGrpc.ControlBlockingStub control = ControlGrpc.newBlockingStub(channel);
      String runId = control.createRun(CreateRunRequest.newBuilder().build()).getRunId();
      long start = System.nanoTime();
      byte[] model = new byte[248];
      ThreadLocalRandom.current().nextBytes(model);
      String blobId = UUID.randomUUID().toString();
      // The phase as the researcher runs it: tasks, their model inline and the result stream in
      // one call; StreamResults only if that stream ended before every result was in.
      PushTasksStreamResultsRequest.Builder push =
          PushTasksStreamResultsRequest.newBuilder().setModel(SwarmNode.chunk(blobId, model));
      Set<String> missing = new HashSet<>();
      for (SwarmNode n : nodes) {
        String taskId = UUID.randomUUID().toString();
        missing.add(taskId);
        push.addTasks(
            Task.newBuilder()
                .setTaskId(taskId)
                .setRunId(runId)
                .setNodeId(n.nodeId())
                .setRound(number)
                .setKind("train")
                .setPlan("builtin:logistic-regression")
                .setModelBlobId(blobId)
                .setCreatedMs(System.currentTimeMillis()));
      }
      long[] first = {0};
      int streams = 0;
      int failedResults = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        streams++;
        CompletableFuture<Void> ended = new CompletableFuture<>();
        int[] failed = {0};
        StreamObserver<ResultsMessage> observer =
            new StreamObserver<>() {
              @Override
              public void onNext(ResultsMessage m) {
                if (m.hasResult()) {
                  synchronized (missing) {
                    if (first[0] == 0) {
                      first[0] = System.nanoTime();
                    }
                    missing.remove(m.getResult().getTaskId());
                  }
                  if (m.getResult().getStatus().getCode() != 0) {
                    failed[0]++;
                  }
                }
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(null);
              }

              @Override
              public void onCompleted() {
                ended.complete(null);
              }
            };
        if (streams == 1) {
          ControlGrpc.newStub(channel).pushTasksStreamResults(push.build(), observer);
        } else {
          List<String> left;
          synchronized (missing) {
            left = List.copyOf(missing);
          }
          ControlGrpc.newStub(channel)
              .streamResults(
                  StreamResultsRequest.newBuilder().setRunId(runId).addAllTaskIds(left).build(),
                  observer);
        }
        ended.get(120, TimeUnit.SECONDS);
        failedResults += failed[0];
      }
      long end = System.nanoTime();
      System.out.printf(
          Locale.ROOT,
          "round %d: %d nodes in %.2f s (first result after %.2f s), %d result streams, %d error"
              + " results, %d missing; load %s%n",
          number,
          nodes.size(),
          (end - start) / 1e9,
          first[0] == 0 ? Double.NaN : (first[0] - start) / 1e9,
          streams,
          failedResults,
          missing.size(),
          load());
    } finally {
      channel.shutdownNow();
    }
  }

  private void restart(Process link, List<String> command, Path log, int nodes) throws Exception {
    int before = registrations.get();
    long refusedBefore = failedRegistrations.sum();
    reasons.clear();
    long kill = System.nanoTime();
    link.destroyForcibly();
    link.waitFor();
    // Wait until the nodes noticed (their streams end) so "online" means registered again.
    long noticeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (onlineCount.get() > 0 && System.nanoTime() < noticeDeadline) {
      Thread.sleep(20);
    }
    int stillOnline = onlineCount.get();
    long noticed = System.nanoTime();
    Process next = startLink(command, log);
    long listening = System.nanoTime();
    awaitOnline(nodes, 300);
    long back = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "restart: SIGKILL, nodes noticed after %.1f s, new process listening after %.1f s; all %d"
            + " nodes registered again"
            + " %.1f s after the kill (%.1f s after listening); %d registrations, %d given a new"
            + " id, %d registrations refused and retried, %d never noticed; load %s%s%n",
        (noticed - kill) / 1e9,
        (listening - kill) / 1e9,
        nodes,
        (back - kill) / 1e9,
        (back - listening) / 1e9,
        registrations.get() - before,
        newIds.sum(),
        failedRegistrations.sum() - refusedBefore,
        stillOnline,
        load(),
        reasons());
    current = next;
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static Metadata headers(AuthMetadata a) {
    Metadata m = new Metadata();
    m.put(key(AuthMetadata.PUBLIC_KEY_HEADER), a.publicKey());
    m.put(key(AuthMetadata.TIMESTAMP_HEADER), a.timestamp());
    m.put(key(AuthMetadata.NONCE_HEADER), a.nonce());
    m.put(key(AuthMetadata.TOKEN_HEADER), a.token());
    return m;
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  /** Latencies in 0.1 ms buckets up to 30 s. */
  static final class Histogram {
    private static final int BUCKETS = 300_000;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
    private final LongAdder total = new LongAdder();

    void record(long nanos) {
      int b = (int) Math.min(BUCKETS, nanos / 100_000);
      counts.incrementAndGet(b);
      total.increment();
    }

    void reset() {
      for (int i = 0; i <= BUCKETS; i++) {
        counts.set(i, 0);
      }
      total.reset();
    }

    long count() {
      return total.sum();
    }

    double percentileMs(double p) {
      long n = total.sum();
      long rank = (long) Math.ceil(n * p / 100.0);
      long seen = 0;
      for (int i = 0; i <= BUCKETS; i++) {
        seen += counts.get(i);
        if (seen >= rank && seen > 0) {
          return (i + 1) / 10.0;
        }
      }
      return 0;
    }

    double maxMs() {
      for (int i = BUCKETS; i >= 0; i--) {
        if (counts.get(i) > 0) {
          return (i + 1) / 10.0;
        }
      }
      return 0;
    }
  }
}
