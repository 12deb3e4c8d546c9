package org.fedlink.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.Partitioner;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.superlink.SuperLink;
import org.fedlink.supernode.NodeHost;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.secagg.SecureAggregationSettings;
import org.fedlink.transport.Endpoint;

/**
 * Many virtual SuperNodes, their SuperLink and an experiment in one JVM: the same node, coordinator
 * and researcher code as a real federation, over gRPC's in-process transport. Each virtual node
 * holds one partition of a data set in memory; the nodes share one {@link NodeHost} (one node
 * database, one heartbeat scheduler, one pool of training threads whose size caps the local
 * trainings running at once). The experiment is any {@link Experiment.Builder}: its plan, strategy,
 * sampling fraction, minimum nodes, secure aggregation and output folder apply as in a real run, so
 * a simulation writes the same files as {@code fedlink run}.
 *
 * <p>With secure aggregation, each virtual node and the researcher get an MPC certificate of their
 * own (made when first needed, kept in the work folder) and are registered with each other ({@link
 * SimulatedParties}). A round that fails because nodes dropped out (LOM, Joye-Libert, SecAgg+ below
 * its threshold, a plain round below its minimum) keeps the model and the simulation goes on
 * ({@link Experiment.Builder#continueAfterLostRounds}).
 *
 * <p>A simulation repeats exactly for the same settings: partitions, injected faults and the nodes
 * sampled each round depend on the seeds only (virtual nodes carry stable component ids, which
 * order them wherever a real run orders nodes).
 *
 * <p>Build with {@link #builder()}, then {@link #run()}. Not thread-safe.
 */
public final class Simulation {
  /** Tag under which every virtual node holds its partition. */
  public static final String TAG = "simulation";

  /** Fewest rows a virtual node may hold: enough for a training and a validation part. */
  public static final int MIN_ROWS_PER_NODE = 4;

  /** Data set name that generates {@code 50 x nodes} rows of synthetic clusters. */
  public static final String SYNTHETIC = "synthetic";

  private final Builder b;

  private Simulation(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Partitions the data, starts the SuperLink and the virtual nodes, runs the experiment and stops
   * everything.
   *
   * @throws FedlinkException if the data cannot be split as asked, or as the experiment fails
   */
  public ExperimentResult run() {
    Endpoint endpoint = Endpoint.inProcess("fedlink-simulation-" + UUID.randomUUID());
    // Built first, so that a bad experiment setting is refused before anything starts; built again
    // below once the researcher of a Joye-Libert run has its identity.
    b.experiment
        .superlink(endpoint)
        .insecure(true)
        .datasetTags(List.of(TAG))
        .continueAfterLostRounds(true)
        // What shapes the results beside the experiment's settings, so that a resume must match.
        .setting("simulation.nodes", Integer.toString(b.nodes))
        .setting("simulation.dataset", b.data != null ? "(in memory)" : b.dataset)
        .setting("simulation.partition", b.partition)
        .setting("simulation.dropout_rate", Double.toString(b.dropoutRate))
        .setting("simulation.straggler_rate", Double.toString(b.stragglerRate))
        .setting("simulation.straggler_delay_ms", Long.toString(b.stragglerDelayMs))
        .setting("simulation.seed", Long.toString(b.seed));
    SecureAggregation secure = b.experiment.secureAggregation();
    if (secure == null || !secure.scheme().equals(SecAggKeys.SCHEME_JOYE_LIBERT)) {
      b.experiment.build();
    }
    Dataset data = loadData();
    if ((long) b.nodes * MIN_ROWS_PER_NODE > data.rows()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "--nodes "
              + b.nodes
              + " is too many for "
              + data.rows()
              + " rows: each virtual node needs at least "
              + MIN_ROWS_PER_NODE
              + "; use at most "
              + data.rows() / MIN_ROWS_PER_NODE
              + " nodes or a larger data set (e.g. --dataset "
              + SYNTHETIC
              + ")");
    }
    List<Dataset> parts = b.partitioner().split(data, b.nodes);
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).rows() < MIN_ROWS_PER_NODE) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "--partition "
                + b.partition
                + " gives virtual node "
                + i
                + " only "
                + parts.get(i).rows()
                + " rows of "
                + data.rows()
                + "; each needs at least "
                + MIN_ROWS_PER_NODE
                + ": use fewer nodes, a larger data set (e.g. --dataset "
                + SYNTHETIC
                + ") or a milder partitioning");
      }
    }
    boolean temporary = b.workDir == null;
    Path work = temporary ? temporaryFolder() : b.workDir;
    // Only a secure run has MPC certificates, made as each party first needs one.
    SimulatedParties parties =
        secure == null ? null : new SimulatedParties(work.resolve("mpc"), b.nodes);
    b.progress.accept(
        "simulating "
            + b.nodes
            + " virtual nodes ("
            + data.rows()
            + " rows, partition "
            + b.partition
            + ", "
            + b.concurrency
            + " concurrent trainings"
            + (secure == null ? "" : ", secure aggregation " + secure.scheme())
            + ")");
    try (SuperLink link =
            SuperLink.builder()
                .address(endpoint)
                .home(work.resolve("superlink"))
                .heartbeatInterval(b.heartbeat)
                .syncBlobs(false) // the state is thrown away with the simulation
                // A phase of every node answers at once: the researcher's stream holds them all
                // in memory rather than catching up from the state every 256 results.
                .streamBuffer(Math.max(256, 2 * b.nodes), 256L << 20)
                .handlers(Math.max(4, Runtime.getRuntime().availableProcessors() * 2), 1_000_000)
                .build()
                .start();
        NodeHost host = NodeHost.open(work.resolve("nodes.sqlite"), b.concurrency)) {
      if (secure != null && secure.scheme().equals(SecAggKeys.SCHEME_JOYE_LIBERT)) {
        // The researcher's certificate, as `configuration create` makes it, registered with
        // every node; the nodes' certificates registered with it.
        b.experiment.secureAggregation(
            secure.identity(parties.identity(SimulatedParties.RESEARCHER)).parties(parties));
      }
      Experiment experiment = b.experiment.build();
      List<SuperNode> nodes = new ArrayList<>(b.nodes);
      try {
        for (int i = 0; i < b.nodes; i++) {
          nodes.add(startNode(i, parts.get(i), endpoint, host, parties));
        }
        awaitOnline(endpoint);
        b.progress.accept("all " + b.nodes + " virtual nodes online");
        return experiment.run();
      } finally {
        closeAll(nodes);
      }
    } finally {
      if (temporary) {
        deleteQuietly(work);
      }
    }
  }

  private SuperNode startNode(
      int i, Dataset part, Endpoint endpoint, NodeHost host, SimulatedParties parties) {
    String id = componentId(i);
    byte[] identity = (id + "/" + b.seed).getBytes(StandardCharsets.UTF_8);
    return SuperNode.builder()
        // Without secure aggregation every node shares the one policy: no cost per node.
        .secureAggregation(
            parties == null
                ? b.nodePolicy
                : b.nodePolicy.withIdentity(() -> parties.identity(id), parties))
        .superlink(endpoint)
        .insecure(true)
        .host(host)
        .identity(() -> identity)
        .componentId(id)
        .datasetSource(
            tags -> {
              if (!List.of(TAG).containsAll(tags)) {
                throw new FedlinkException(
                    ErrorCode.NO_MATCHING_DATASET,
                    "a virtual node holds one dataset, tagged " + TAG + "; asked for " + tags);
              }
              return part;
            })
        .policy(new SimulatedFaults(b.seed, i, b.dropoutRate, b.stragglerRate, b.stragglerDelayMs))
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .build()
        .start();
  }

  /** The component id of virtual node {@code i}; zero-padded so that text order is index order. */
  public static String componentId(int i) {
    return String.format("sim-%06d", i);
  }

  /** Closes the nodes several at a time: each close mostly waits for its channel to end. */
  private static void closeAll(List<SuperNode> nodes) {
    java.util.concurrent.ExecutorService closer =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    nodes.forEach(n -> closer.execute(n::close));
    closer.shutdown();
    try {
      closer.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitOnline(Endpoint endpoint) {
    long deadline = System.nanoTime() + b.startTimeout.toNanos();
    try (ControlConnection c = new ControlConnection(endpoint, null, List.of(), b.startTimeout)) {
      while (true) {
        long online = c.listNodes().stream().filter(Node::getOnline).count();
        if (online >= b.nodes) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new FedlinkException(
              ErrorCode.UNAVAILABLE,
              "only "
                  + online
                  + " of "
                  + b.nodes
                  + " virtual nodes came online within "
                  + b.startTimeout.toSeconds()
                  + " s; use fewer nodes or a longer start timeout");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FedlinkException(ErrorCode.CANCELLED, "interrupted while starting virtual nodes");
    }
  }

  private Dataset loadData() {
    if (b.data != null) {
      return b.data;
    }
    if (b.dataset.equals(SYNTHETIC)) {
      return SyntheticData.blobs(50 * b.nodes, b.seed);
    }
    if (BundledDatasets.names().contains(b.dataset)) {
      return BundledDatasets.load(b.dataset);
    }
    Path file = Path.of(b.dataset);
    if (!Files.isReadable(file)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "--dataset "
              + b.dataset
              + " is neither a bundled data set "
              + BundledDatasets.names()
              + ", '"
              + SYNTHETIC
              + "', nor a readable CSV file");
    }
    return CsvDatasetLoader.load(file);
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("fedlink-simulation-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind is harmless
    }
  }

  /** Settings of a simulation, validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    private int nodes = 10;
    private String dataset = BundledDatasets.DIGITS;
    private Dataset data;
    private String partition = "iid";
    private int concurrency = Runtime.getRuntime().availableProcessors();
    private double dropoutRate;
    private double stragglerRate;
    private long stragglerDelayMs;
    private long seed = 42;
    private Path workDir;
    private Duration heartbeat = Duration.ofSeconds(30);
    private Duration startTimeout = Duration.ofMinutes(5);
    private Experiment.Builder experiment = Experiment.builder();
    private Consumer<String> progress = line -> {};
    private SecureAggregationSettings nodePolicy =
        SecureAggregationSettings.builder().maskParallelism(1).build();

    private Builder() {}

    /**
     * The secure-aggregation policy of every virtual node, as a node's {@code [security]} and
     * {@code [mpc]} keys give it: {@code secure_aggregation}, {@code force_secure_aggregation},
     * {@code secure_aggregation_schemes}, the biprime rules. Default: a node's defaults (enabled,
     * not forced, every scheme, the shipped biprimes allowed). The identity and registered parties
     * are the simulation's: when the experiment asks for secure aggregation, each virtual node gets
     * an MPC certificate of its own (made when first needed) and every node and the researcher are
     * registered with each other, as after {@code certificate dev-setup}.
     */
    public Builder nodeSecureAggregation(SecureAggregationSettings policy) {
      this.nodePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Number of virtual nodes; default 10. */
    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    /**
     * A bundled data set ({@code digits}, {@code breast-cancer}), {@code synthetic} (50 rows per
     * node of 10 Gaussian clusters in 32 dimensions) or a CSV file; default digits.
     */
    public Builder dataset(String dataset) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      return this;
    }

    /** A data set in memory instead of a named one. */
    public Builder data(Dataset data) {
      this.data = Objects.requireNonNull(data, "data");
      return this;
    }

    /** How the data is cut among the nodes: {@link Partitions#FORMS}; default iid. */
    public Builder partition(String partition) {
      this.partition = Objects.requireNonNull(partition, "partition");
      return this;
    }

    /** Local trainings running at once, over all nodes; default the number of cores. */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** Chance that a sampled node drops out of a round's training, in [0, 1); default 0. */
    public Builder dropoutRate(double rate) {
      this.dropoutRate = rate;
      return this;
    }

    /** Chance that a node's training starts {@code delay} late, in [0, 1]; default none. */
    public Builder stragglers(double rate, Duration delay) {
      this.stragglerRate = rate;
      this.stragglerDelayMs = delay.toMillis();
      return this;
    }

    /** Seed of the partitions and the injected faults; default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Folder for the SuperLink's state and the shared node database; default a temporary one. */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** How often virtual nodes heartbeat; default 30 s (they do not go away unless told to). */
    public Builder heartbeat(Duration interval) {
      this.heartbeat = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How long the nodes may take to come online; default 5 minutes. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The experiment to run: plan, rounds, strategy, fraction, minimum nodes, training arguments,
     * secure aggregation, output folder. Its SuperLink address, transport and dataset tags are set
     * by the simulation.
     */
    public Builder experiment(Experiment.Builder experiment) {
      this.experiment = Objects.requireNonNull(experiment, "experiment");
      return this;
    }

    /** Receives a line when the nodes start and when all are online. */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    Partitioner partitioner() {
      return Partitions.parse(partition, seed);
    }

    /**
     * Validates the settings.
     *
     * @throws FedlinkException INVALID_ARGUMENT naming the bad setting and what is allowed
     */
    public Simulation build() {
      if (nodes < 1) {
        throw bad("--nodes " + nodes + " must be at least 1");
      }
      if (concurrency < 1) {
        throw bad("--concurrency " + concurrency + " must be at least 1");
      }
      if (!(dropoutRate >= 0 && dropoutRate < 1)) {
        throw bad("--dropout-rate " + dropoutRate + " must be in [0, 1), e.g. 0.1");
      }
      if (!(stragglerRate >= 0 && stragglerRate <= 1) || stragglerDelayMs < 0) {
        throw bad(
            "stragglers "
                + stragglerRate
                + " with delay "
                + stragglerDelayMs
                + " ms: the rate must be in [0, 1] and the delay not negative");
      }
      partitioner(); // checks the form now, before anything starts
      return new Simulation(this);
    }

    private static FedlinkException bad(String message) {
      return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }
}
