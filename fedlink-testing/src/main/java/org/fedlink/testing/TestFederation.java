package org.fedlink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.ml.Splits;
import org.fedlink.ml.TrainTestSplit;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.Experiment;
import org.fedlink.superlink.SuperLink;
import org.fedlink.supernode.SuperNode;
import org.fedlink.transport.Endpoint;

/**
 * A whole federation in one JVM for tests: a development CA, a SuperLink on a free loopback port
 * over TLS, and SuperNodes that each hold one non-IID part of a bundled data set. Real gRPC, real
 * TLS, real SQLite files under a folder the caller owns. Not thread-safe.
 */
public final class TestFederation implements AutoCloseable {
  /** Tag under which every node registers its part. */
  public static final String TAG = "test-data";

  private final Builder b;
  private final DevelopmentCa.CaFiles tls;
  private final int port;
  private final List<SuperNode> nodes = new ArrayList<>();
  private final List<Path> parts = new ArrayList<>();
  private final TrainTestSplit split;
  private SuperLink superlink;

  private TestFederation(Builder b) throws IOException, GeneralSecurityException {
    this.b = b;
    this.tls = DevelopmentCa.create(b.dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    this.port = freePort();
    Dataset all = BundledDatasets.load(b.dataset);
    this.split = Splits.trainTest(all, 0.2, 42);
    List<Dataset> pieces = new DirichletPartitioner(b.alpha, 42).split(split.train(), b.nodes);
    for (int i = 0; i < b.nodes; i++) {
      Path file = b.dir.resolve("data/node-" + i + ".csv");
      Files.createDirectories(file.getParent());
      CsvDatasetLoader.write(pieces.get(i), file);
      parts.add(file);
    }
    startSuperLink();
    for (int i = 0; i < b.nodes; i++) {
      nodes.add(startNode(i));
    }
  }

  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Starts (or restarts) the SuperLink on the federation's port and home. */
  public SuperLink startSuperLink() {
    SuperLink.Builder settings =
        SuperLink.builder()
            .address(new Endpoint("127.0.0.1", port))
            .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
            .home(b.dir.resolve("superlink"))
            .heartbeatInterval(b.heartbeat);
    b.superlinkSettings.accept(settings);
    superlink = settings.build().start();
    return superlink;
  }

  /** Stops the SuperLink as a crash would look to its peers (state stays on disk). */
  public void stopSuperLink() {
    superlink.close();
  }

  /** Starts node {@code i} (again), with its dataset registered on first start. */
  public SuperNode startNode(int i) {
    SuperNode.Builder builder =
        SuperNode.builder()
            .superlink(endpoint())
            .rootCertificates(tls.caCertificate())
            .home(b.dir.resolve("node-" + i))
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    b.nodeSettings.accept(i, builder);
    SuperNode node = builder.build();
    if (node.datasets().list().isEmpty()) {
      node.datasets().add("part-" + i, List.of(TAG), parts.get(i), "csv");
    }
    node.start();
    if (i < nodes.size()) {
      nodes.set(i, node);
    }
    return node;
  }

  /** Stops node {@code i} without leaving the federation: to the SuperLink it goes silent. */
  public void crashNode(int i) {
    nodes.get(i).close();
  }

  public SuperNode node(int i) {
    return nodes.get(i);
  }

  public SuperLink superlink() {
    return superlink;
  }

  public Endpoint endpoint() {
    return new Endpoint("127.0.0.1", port);
  }

  public Path caFile() {
    return tls.caCertificate();
  }

  public DevelopmentCa.CaFiles tls() {
    return tls;
  }

  /** The held-out test split of the data set. */
  public Dataset testData() {
    return split.test();
  }

  /**
   * Waits until {@code count} nodes are online at the SuperLink and every running node of this
   * federation knows its node id.
   */
  public void awaitOnline(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SuperNode n : nodes) {
      if (!n.awaitRegistered(timeout)) {
        throw new AssertionError("a node did not register within " + timeout);
      }
    }
    try (ControlConnection c = new ControlConnection(endpoint(), caFile(), List.of(), timeout)) {
      while (true) {
        long online = c.listNodes().stream().filter(Node::getOnline).count();
        if (online >= count) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("only " + online + " of " + count + " nodes online");
        }
        Thread.sleep(50);
      }
    }
  }

  /** An experiment builder aimed at this federation: TLS, the test tag, every node required. */
  public Experiment.Builder experiment() {
    return Experiment.builder()
        .superlink(endpoint())
        .rootCertificates(caFile())
        .datasetTags(List.of(TAG))
        .minNodes(b.nodes)
        .nodeWaitTimeout(Duration.ofSeconds(30))
        .roundTimeout(Duration.ofSeconds(60))
        .reconnectTimeout(Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    for (SuperNode n : nodes) {
      n.close();
    }
    if (superlink != null) {
      superlink.close();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings of a test federation. */
  public static final class Builder {
    private final Path dir;
    private int nodes = 3;
    private String dataset = BundledDatasets.BREAST_CANCER;
    private double alpha = 0.5;
    private Duration heartbeat = Duration.ofMillis(300);
    private BiConsumer<Integer, SuperNode.Builder> nodeSettings = (i, node) -> {};
    private Consumer<SuperLink.Builder> superlinkSettings = link -> {};

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    public Builder dataset(String dataset) {
      this.dataset = dataset;
      return this;
    }

    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Heartbeat interval; a node is offline after three missed ones. */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
      return this;
    }

    /** Customises node {@code i}'s builder (policies, plan policy) before it is built. */
    public Builder nodeSettings(BiConsumer<Integer, SuperNode.Builder> settings) {
      this.nodeSettings = settings;
      return this;
    }

    /** Customises the SuperLink's builder (disk reserve, retention, quotas, stream bounds). */
    public Builder superlinkSettings(Consumer<SuperLink.Builder> settings) {
      this.superlinkSettings = settings;
      return this;
    }

    public TestFederation start() {
      try {
        return new TestFederation(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
