package org.fedlink.testing.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedlink.cli.Main;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.Experiment;
import org.fedlink.transport.Endpoint;

/**
 * A federation of real processes started through the CLI: a SuperLink and N SuperNodes, each a JVM
 * in a network namespace of its own on an {@link EmulatedNetwork} (host "superlink" and hosts
 * "node-0"...), or all on loopback for comparison. The researcher runs in this JVM and reaches the
 * SuperLink over a link of its own without delay, as if beside it. Every node holds a part of the
 * breast-cancer data set tagged {@link #TAG}.
 *
 * <p>Processes are stopped and namespaces deleted by {@link #close()}. Not thread-safe.
 */
public final class NamespaceFederation implements AutoCloseable {
  /** The tag of every node's dataset. */
  public static final String TAG = "netns";

  /** The SuperLink's host on the network. */
  public static final String SUPERLINK = "superlink";

  private static final int PORT = 9092;
  private static final Duration STARTUP = Duration.ofMinutes(3);
  private static final Pattern NODE_ID = Pattern.compile("as node (\\d+)");

  private final Builder b;
  private final ChildProcesses children;
  private final List<ChildProcesses.Child> nodes = new ArrayList<>();
  private EmulatedNetwork network;
  private ChildProcesses.Child superlink;
  private DevelopmentCa.CaFiles tls;
  private Endpoint researcherEndpoint;

  private NamespaceFederation(Builder b) throws IOException {
    this.b = b;
    // The processes log at INFO, whatever logging configuration the class path holds: the
    // federation waits on their readiness lines ("SuperLink listening on", "registered").
    Path logback = Files.createDirectories(b.dir).resolve("logback-children.xml");
    Files.writeString(logback, CHILD_LOGGING);
    this.children = new ChildProcesses(List.of("-Dlogback.configurationFile=" + logback));
  }

  private static final String CHILD_LOGGING =
      """
      <configuration>
        <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
          <target>System.err</target>
          <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.fedlink" level="INFO"/>
        <root level="WARN"><appender-ref ref="STDERR"/></root>
      </configuration>
      """;

  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** The name of node {@code i}'s host. */
  public static String node(int i) {
    return "node-" + i;
  }

  private void start() throws Exception {
    List<String> hosts = new ArrayList<>(List.of(SUPERLINK));
    for (int i = 0; i < b.nodes; i++) {
      hosts.add(node(i));
    }
    String nodesDial;
    String listen;
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1"));
    int port = PORT;
    if (b.loopback) {
      try (java.net.ServerSocket s =
          new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      listen = "127.0.0.1:" + port;
      nodesDial = listen;
      researcherEndpoint = new Endpoint("127.0.0.1", port);
    } else {
      network = EmulatedNetwork.start(b.dir.resolve("network"), hosts, b.seed);
      String beside = network.connectRoot(SUPERLINK);
      names.add(network.address(SUPERLINK));
      names.add(beside);
      listen = "0.0.0.0:" + port;
      nodesDial = network.address(SUPERLINK) + ":" + port;
      researcherEndpoint = new Endpoint(beside, port);
    }
    tls = DevelopmentCa.create(b.dir.resolve("certs"), names);
    List<String> linkArgs =
        new ArrayList<>(
            List.of(
                "superlink",
                "start",
                "--address",
                listen,
                "--ssl-ca-certfile",
                tls.caCertificate().toString(),
                "--ssl-certfile",
                tls.serverCertificate().toString(),
                "--ssl-keyfile",
                tls.serverKey().toString(),
                "--home",
                b.dir.resolve("superlink").toString()));
    linkArgs.addAll(b.superlinkArgs);
    superlink =
        children.start(SUPERLINK, prefix(SUPERLINK), linkArgs, b.dir.resolve("logs/superlink.log"));
    ChildProcesses.awaitLogLine(superlink, "SuperLink listening on", STARTUP);

    Dataset data = BundledDatasets.load(BundledDatasets.BREAST_CANCER);
    List<Dataset> parts = new DirichletPartitioner(100, 1).split(data, b.nodes);
    for (int i = 0; i < b.nodes; i++) {
      Path home = b.dir.resolve(node(i));
      Path csv = b.dir.resolve(node(i) + ".csv");
      CsvDatasetLoader.write(parts.get(i), csv);
      int code =
          Main.commandLine()
              .execute(
                  "supernode",
                  "dataset",
                  "add",
                  "--home",
                  home.toString(),
                  "--name",
                  "bc",
                  "--tags",
                  TAG,
                  "--path",
                  csv.toString());
      if (code != 0) {
        throw new IllegalStateException("supernode dataset add failed for " + node(i));
      }
      List<String> args =
          new ArrayList<>(
              List.of(
                  "supernode",
                  "start",
                  "--superlink",
                  nodesDial,
                  "--root-certificates",
                  tls.caCertificate().toString(),
                  "--home",
                  home.toString()));
      args.addAll(b.nodeArgs);
      nodes.add(
          children.start(
              node(i), prefix(node(i)), args, b.dir.resolve("logs/" + node(i) + ".log")));
    }
  }

  private List<String> prefix(String host) {
    return network == null ? List.of() : network.exec(host);
  }

  /** The network, or null on loopback. */
  public EmulatedNetwork network() {
    return network;
  }

  public ChildProcesses.Child superlink() {
    return superlink;
  }

  public ChildProcesses.Child nodeProcess(int i) {
    return nodes.get(i);
  }

  /** The CA that signed the SuperLink's certificate. */
  public Path caFile() {
    return tls.caCertificate();
  }

  /** Where this JVM reaches the SuperLink. */
  public Endpoint researcherEndpoint() {
    return researcherEndpoint;
  }

  /** Opens a Control API connection from this JVM. */
  public ControlConnection control() {
    return new ControlConnection(researcherEndpoint, caFile(), List.of(), Duration.ofSeconds(60));
  }

  /** An experiment on every node's dataset, for the caller to complete and run. */
  public Experiment.Builder experiment() {
    return Experiment.builder()
        .superlink(researcherEndpoint)
        .rootCertificates(caFile())
        .datasetTags(List.of(TAG))
        .minNodes(b.nodes);
  }

  /** The node id node {@code i} registered as, from its log (waits for the line). */
  public long nodeId(int i) throws InterruptedException, IOException {
    ChildProcesses.Child c = nodes.get(i);
    ChildProcesses.awaitLogLine(c, "registered with the SuperLink", STARTUP);
    Matcher m = NODE_ID.matcher(Files.readString(c.log()));
    if (!m.find()) {
      throw new IllegalStateException(node(i) + " logged no node id");
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Waits until at least {@code count} nodes are online, failing at once if a process died.
   *
   * @return the nodes the SuperLink lists
   */
  public List<Node> awaitOnline(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (ControlConnection c = control()) {
      while (true) {
        children.requireAllAlive();
        List<Node> all = c.listNodes();
        if (all.stream().filter(Node::getOnline).count() >= count) {
          return all;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "fewer than " + count + " nodes online after " + timeout.toSeconds() + " s: " + all);
        }
        Thread.sleep(50);
      }
    }
  }

  /** Stops every process, then removes the namespaces and links. */
  @Override
  public void close() {
    children.stopAll();
    if (network != null) {
      network.close();
    }
  }

  /** Settings of a {@link NamespaceFederation}. */
  public static final class Builder {
    private final Path dir;
    private int nodes = 2;
    private boolean loopback;
    private long seed = 1;
    private final List<String> superlinkArgs = new ArrayList<>();
    private final List<String> nodeArgs = new ArrayList<>();

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    /** Everything on loopback in this JVM's namespace: no namespaces, no link shaping. */
    public Builder loopback(boolean loopback) {
      this.loopback = loopback;
      return this;
    }

    /** Seed of the emulated links' random losses. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** More arguments of {@code superlink start} (timeouts...). */
    public Builder superlinkArgs(String... args) {
      superlinkArgs.addAll(List.of(args));
      return this;
    }

    /** More arguments of {@code supernode start}. */
    public Builder nodeArgs(String... args) {
      nodeArgs.addAll(List.of(args));
      return this;
    }

    /** Starts the SuperLink, waits until it listens, then starts the nodes. */
    public NamespaceFederation start() throws Exception {
      NamespaceFederation f = new NamespaceFederation(this);
      try {
        f.start();
        return f;
      } catch (Exception | Error e) {
        f.close();
        throw e;
      }
    }
  }
}
