package org.fedlink.bench.auth;

import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPrivateKeyReader;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenSigner;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.CreateNodeRequest;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.HeartbeatRequest;
import org.fedlink.superlink.SuperLink;
import org.fedlink.superlink.auth.SuperLinkAuthentication;
import org.fedlink.transport.ClientChannels;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.SigningInterceptor;

/**
 * Fleet call rate with and without node authentication: N nodes, each on its own TLS connection and
 * thread, send heartbeats back to back to one in-process SuperLink on loopback for a fixed time
 * after a warm-up. Modes alternate (plain, authenticated, plain, ...) in the same JVM so both see
 * the same machine state. Usage: {@code HeartbeatBenchmark [nodes=50] [warmupSeconds=5]
 * [measureSeconds=15] [rounds=2] [timestampWindowSeconds=60]}.
 */
public final class HeartbeatBenchmark {
  private HeartbeatBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int measure = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int window = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    Path dir = Files.createTempDirectory("fedlink-auth-bench-");
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    Path linkKey = dir.resolve("keys/superlink");
    Files.createDirectories(linkKey.getParent());
    OpenSshPublicKey linkPublic = OpenSshKeys.generate(linkKey, "nistp384", "superlink");
    List<KeyPair> keys = new ArrayList<>();
    StringBuilder known = new StringBuilder();
    for (int i = 0; i < nodes; i++) {
      Path k = dir.resolve("keys/node-" + i);
      known.append(OpenSshKeys.generate(k, "nistp384", "node-" + i).toLine()).append('\n');
      keys.add(OpenSshPrivateKeyReader.read(k));
    }
    Path knownFile = dir.resolve("keys/known.csv");
    Files.writeString(knownFile, known);
    System.out.printf(
        Locale.ROOT,
        "%d nodes, warm-up %d s, measured %d s per mode, %d rounds, window %d s, %d cores, %s%n",
        nodes,
        warmup,
        measure,
        rounds,
        window,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    double[] sums = new double[2];
    for (int r = 0; r < rounds; r++) {
      for (int mode = 0; mode < 2; mode++) {
        boolean auth = mode == 1;
        SuperLinkAuthentication a =
            auth
                ? SuperLinkAuthentication.builder()
                    .nodeKeys(knownFile)
                    .superlinkKeys(linkKey, OpenSshKeys.publicKeyFileOf(linkKey))
                    // Only the Fleet API is measured; no researcher calls.
                    .allowAnonymousControl(true)
                    // Room for the measured rate over the window: every nonce is kept that long.
                    .nonceCapacity(5_000_000)
                    .timestampWindow(Duration.ofSeconds(window))
                    .build()
                : null;
        double rate =
            run(dir.resolve("home-" + r + "-" + mode), tls, a, keys, linkPublic, warmup, measure);
        sums[mode] += rate;
        System.out.printf(
            Locale.ROOT,
            "round %d %-14s %10.0f heartbeats/s%n",
            r + 1,
            auth ? "authenticated" : "plain",
            rate);
      }
    }
    double plain = sums[0] / rounds;
    double authed = sums[1] / rounds;
    System.out.printf(
        Locale.ROOT,
        "mean: plain %.0f/s, authenticated %.0f/s, cost %.1f%%%n",
        plain,
        authed,
        100 * (1 - authed / plain));
  }

  private static double run(
      Path home,
      DevelopmentCa.CaFiles tls,
      SuperLinkAuthentication auth,
      List<KeyPair> keys,
      OpenSshPublicKey linkPublic,
      int warmup,
      int measure)
      throws Exception {
    SuperLink.Builder b =
        SuperLink.builder()
            .address(new Endpoint("127.0.0.1", 0))
            .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
            .home(home)
            .heartbeatInterval(Duration.ofSeconds(60));
    if (auth != null) {
      b.authentication(auth);
    }
    List<ManagedChannel> channels = new ArrayList<>();
    try (SuperLink link = b.build().start()) {
      List<FleetGrpc.FleetBlockingStub> stubs = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (KeyPair k : keys) {
        List<ClientInterceptor> interceptors = new ArrayList<>();
        if (auth != null) {
          TokenSigner signer = new TokenSigner(k, linkPublic);
          interceptors.add(new SigningInterceptor((m, body) -> headers(signer.sign(m, body))));
        }
        ManagedChannel c =
            ClientChannels.open(
                new Endpoint("localhost", link.port()), tls.caCertificate(), interceptors);
        channels.add(c);
        FleetGrpc.FleetBlockingStub stub = FleetGrpc.newBlockingStub(c);
        byte[] identity =
            OpenSshPublicKey.of((java.security.interfaces.ECPublicKey) k.getPublic(), null).blob();
        ids.add(
            stub.createNode(
                    CreateNodeRequest.newBuilder()
                        .setIdentity(ByteString.copyFrom(identity))
                        .build())
                .getNodeId());
        stubs.add(stub);
      }
      LongAdder done = new LongAdder();
      LongAdder failed = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch finished = new CountDownLatch(stubs.size());
      for (int i = 0; i < stubs.size(); i++) {
        FleetGrpc.FleetBlockingStub stub = stubs.get(i);
        HeartbeatRequest req = HeartbeatRequest.newBuilder().setNodeId(ids.get(i)).build();
        Thread t =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    try {
                      stub.withDeadlineAfter(30, TimeUnit.SECONDS).heartbeat(req);
                      done.increment();
                    } catch (RuntimeException e) {
                      failed.increment();
                    }
                  }
                  finished.countDown();
                },
                "bench-node-" + i);
        t.setDaemon(true);
        t.start();
      }
      Thread.sleep(warmup * 1000L);
      long before = done.sum();
      long failedBefore = failed.sum();
      long start = System.nanoTime();
      Thread.sleep(measure * 1000L);
      long count = done.sum() - before;
      double seconds = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      finished.await(30, TimeUnit.SECONDS);
      long errors = failed.sum() - failedBefore;
      if (errors > 0) {
        System.out.println("  " + errors + " failed calls while measuring");
      }
      return count / seconds;
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
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
}
