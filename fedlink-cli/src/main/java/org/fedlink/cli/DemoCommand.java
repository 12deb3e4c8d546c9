package org.fedlink.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.cli.demo.DemoProfile;
import org.fedlink.cli.demo.DemoShell;
import org.fedlink.cli.demo.DemoWorkspace;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.ParametersCodec;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.CentralizedTraining;
import org.fedlink.ml.CsvDatasetLoader;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.Splits;
import org.fedlink.ml.TrainTestSplit;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.auth.ResearcherAuthentication;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedlink demo}: a whole federation on this machine, made and run with the same commands a
 * user types (each one printed), the components as separate processes over TLS with authentication.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a complete federation on this machine.",
      "A workspace of configuration files, a development CA, authentication keys, one SuperLink",
      "and several SuperNodes as separate processes over TLS, a bundled data set split non-IID",
      "across the nodes, and an experiment. Prints every command it runs, the final test",
      "accuracy beside centralized training, and where its files are."
    })
final class DemoCommand implements Callable<Integer> {
  private static final double TEST_FRACTION = 0.2;
  private static final long SEED = 42;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "SuperNodes to start (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--rounds", description = "Rounds (default: 20).")
  Integer rounds;

  @Option(
      names = "--dataset",
      defaultValue = "breast-cancer",
      description =
          "breast-cancer (logistic regression) or digits (MLP) (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--alpha", description = "Dirichlet alpha of the non-IID split (default: 0.5).")
  Double alpha;

  @Option(
      names = "--secagg",
      arity = "0..1",
      fallbackValue = "joye-libert",
      paramLabel = "SCHEME",
      description =
          "Also run the experiment with secure aggregation and compare accuracies: joye-libert"
              + " (the default when no scheme is given), lom or secagg+.")
  String secagg;

  @Option(
      names = "--drop-node",
      paramLabel = "N",
      description =
          "With --secagg secagg+: kill SuperNode N (1-based) in the middle of round 2 of the"
              + " secure run, which completes without it.")
  Integer dropNode;

  @Option(names = "--keep", description = "Leave the federation running after the experiment.")
  boolean keep;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Workspace folder (default: a new temporary one).")
  Path dir;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    DemoProfile profile = DemoProfile.of(dataset);
    int roundCount = rounds == null ? profile.rounds() : rounds;
    double a = alpha == null ? profile.alpha() : alpha;
    if (nodes < 2 || nodes > 50) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "--nodes " + nodes + " must be 2..50");
    }
    if (roundCount < 1) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "--rounds must be at least 1");
    }
    if (secagg != null && !SecureAggregation.SCHEMES.contains(secagg)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "--secagg "
              + secagg
              + " is unknown; use one of "
              + String.join(", ", SecureAggregation.SCHEMES));
    }
    if (dropNode != null) {
      if (!"secagg+".equals(secagg)) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "--drop-node needs --secagg secagg+: with joye-libert or lom a node lost during a"
                + " round fails that round");
      }
      if (dropNode < 1 || dropNode > nodes) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT, "--drop-node " + dropNode + " must be 1.." + nodes);
      }
      if (roundCount < 2) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "--drop-node kills a node in round 2: use --rounds 2 or more");
      }
      if (nodes < 3) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "--drop-node needs --nodes 3 or more (SecAgg+ needs 2 left)");
      }
    }
    long started = System.nanoTime();
    Path root =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("fedlink-demo-");
    if (Files.exists(root.resolve("etc"))) {
      throw new FedlinkException(
          ErrorCode.ALREADY_EXISTS,
          "--dir " + root + " already holds a workspace; give an empty or new folder");
    }
    ChildProcesses children = new ChildProcesses();
    Runtime.getRuntime().addShutdownHook(new Thread(children::stopAll, "demo-cleanup"));
    DemoShell shell =
        new DemoShell(out, System.getenv().getOrDefault("FEDLINK_LAUNCHER", "fedlink"), children);
    try {
      out.println("Fedlink demo in " + root);
      int port = freePort();
      String address = "127.0.0.1:" + port;
      DemoWorkspace ws = DemoWorkspace.create(root, nodes, address, shell);

      shell.step("SuperLink");
      shell.start(
          "superlink",
          List.of("superlink", "--config", ws.config("superlink.ini").toString(), "start"),
          root.resolve("logs/superlink.log"));
      awaitPort(port, children);

      shell.step(
          String.format(
              Locale.ROOT,
              "Data: %s, 20%% held out for testing, the rest split non-IID (Dirichlet alpha %s)"
                  + " across %d nodes",
              profile.dataset(),
              a,
              nodes));
      TrainTestSplit split =
          Splits.trainTest(BundledDatasets.load(profile.dataset()), TEST_FRACTION, SEED);
      List<Dataset> parts = new DirichletPartitioner(a, SEED).split(split.train(), nodes);
      for (int i = 1; i <= nodes; i++) {
        Path file = root.resolve("data/node-" + i + ".csv");
        Files.createDirectories(file.getParent());
        CsvDatasetLoader.write(parts.get(i - 1), file);
        shell.run(
            List.of(
                "supernode",
                "--config",
                ws.nodeConfig(i).toString(),
                "dataset",
                "add",
                "--name",
                profile.dataset(),
                "--tags",
                profile.dataset(),
                "--path",
                file.toString()));
      }

      shell.step(nodes + " SuperNodes");
      for (int i = 1; i <= nodes; i++) {
        shell.start(
            "supernode-" + i,
            List.of("supernode", "--config", ws.nodeConfig(i).toString(), "start"),
            root.resolve("logs/supernode-" + i + ".log"));
      }
      awaitNodes(Endpoint.parse(address), ws, children);

      TrainingPlan plan = BuiltinPlans.get(profile.plan());
      shell.step(
          "Experiment: "
              + profile.plan()
              + ", "
              + roundCount
              + " rounds, FedAvg"
              + (dropNode != null ? ", SuperNode " + dropNode + " killed during round 2" : ""));
      List<String> runArgs = runArgs(ws, profile, roundCount);
      Metrics federated =
          dropNode == null
              ? experiment(shell, runArgs, root.resolve("output"), plan, split.test())
              : experimentDropping(shell, runArgs, root.resolve("output"), plan, split, children);
      if (dropNode != null) {
        // The same node is lost in the secure run: bring it back so both runs see the same data.
        shell.step("SuperNode " + dropNode + " again, for the secure run");
        shell.start(
            "supernode-" + dropNode,
            List.of("supernode", "--config", ws.nodeConfig(dropNode).toString(), "start"),
            root.resolve("logs/supernode-" + dropNode + "-restarted.log"));
        awaitNodes(Endpoint.parse(address), ws, children);
      }
      Metrics secure = null;
      if (secagg != null) {
        shell.step(
            "The same experiment with secure aggregation ("
                + (secagg.equals("joye-libert") ? "Joye-Libert, 2048-bit biprime" : secagg)
                + (dropNode != null
                    ? ", SuperNode " + dropNode + " killed during round 2 again"
                    : "")
                + ")");
        List<String> secureArgs = new ArrayList<>(runArgs);
        secureArgs.addAll(List.of("--secagg", secagg));
        Path output = root.resolve("output-secagg");
        secure =
            dropNode == null
                ? experiment(shell, secureArgs, output, plan, split.test())
                : experimentDropping(shell, secureArgs, output, plan, split, children);
      }
      Metrics central =
          CentralizedTraining.trainAndEvaluate(
              plan, split.train(), split.test(), profile.args(), roundCount);
      report(split.test().rows(), federated, secure, central, root, started, address, ws);
      if (keep) {
        out.println(
            "The federation keeps running (--keep). Try: fedlink nodes --config "
                + ws.config("researcher.ini")
                + "; stop it with Ctrl-C.");
        Thread.currentThread().join();
      }
      return 0;
    } finally {
      if (!keep) {
        children.stopAll();
      }
    }
  }

  /**
   * Runs the experiment of {@code runArgs} with SuperNode {@link #dropNode} killed during round 2
   * and one node fewer required.
   */
  private Metrics experimentDropping(
      DemoShell shell,
      List<String> runArgs,
      Path output,
      TrainingPlan plan,
      TrainTestSplit split,
      ChildProcesses children) {
    List<String> args = new ArrayList<>(runArgs);
    int i = args.indexOf("--min-nodes");
    args.set(i + 1, Integer.toString(nodes - 1));
    Thread killer = killDuringRound2(output, "supernode-" + dropNode, children);
    try {
      return experiment(shell, args, output, plan, split.test());
    } finally {
      killer.interrupt();
    }
  }

  /**
   * Starts a thread that kills {@code child} as soon as round 1 of the run writing to {@code
   * output} is recorded, that is while round 2 trains.
   */
  private Thread killDuringRound2(Path output, String child, ChildProcesses children) {
    Thread t =
        new Thread(
            () -> {
              Path metrics = output.resolve("metrics.csv");
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  if (Files.exists(metrics) && Files.readAllLines(metrics).size() >= 2) {
                    if (children.kill(child)) {
                      out.println("  (killed " + child + " during round 2)");
                    }
                    return;
                  }
                  Thread.sleep(50);
                }
              } catch (IOException | InterruptedException e) {
                // the run ended first
              }
            },
            "demo-drop-node");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static List<String> runArgs(DemoWorkspace ws, DemoProfile profile, int roundCount) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--config",
                ws.config("researcher.ini").toString(),
                "--plan",
                profile.plan(),
                "--tags",
                profile.dataset(),
                "--rounds",
                Integer.toString(roundCount),
                "--min-nodes",
                Integer.toString(ws.nodes()),
                "--epochs",
                Integer.toString(profile.args().epochs()),
                "--batch-size",
                Integer.toString(profile.args().batchSize()),
                "--learning-rate",
                Double.toString(profile.args().learningRate()),
                "--optimizer",
                profile.args().optimizer(),
                "--momentum",
                Double.toString(profile.args().momentum()),
                "--seed",
                Long.toString(profile.args().seed())));
    if (profile.plan().equals("mlp")) {
      StringBuilder h = new StringBuilder();
      for (int v : profile.args().hidden()) {
        h.append(h.length() == 0 ? "" : ",").append(v);
      }
      args.addAll(List.of("--hidden", h.toString()));
    }
    return args;
  }

  /** Runs {@code fedlink run} and evaluates the model it saved on the held-out test rows. */
  private static Metrics experiment(
      DemoShell shell, List<String> runArgs, Path output, TrainingPlan plan, Dataset test) {
    List<String> args = new ArrayList<>(runArgs);
    args.addAll(List.of("--output", output.toString()));
    shell.run(args);
    return plan.evaluate(ParametersCodec.read(output.resolve("model.flp")), test);
  }

  private void report(
      int testRows,
      Metrics federated,
      Metrics secure,
      Metrics central,
      Path root,
      long started,
      String address,
      DemoWorkspace ws) {
    out.println();
    out.printf(
        Locale.ROOT,
        "Test accuracy on %d held-out rows: federated %.4f, centralized %.4f (difference %+.2f"
            + " points)%n",
        testRows,
        federated.accuracy(),
        central.accuracy(),
        100 * (federated.accuracy() - central.accuracy()));
    if (secure != null) {
      out.printf(
          Locale.ROOT,
          "With secure aggregation (%s): %.4f, without: %.4f (difference %+.2f points)%n",
          secagg,
          secure.accuracy(),
          federated.accuracy(),
          100 * (secure.accuracy() - federated.accuracy()));
    }
    out.println("Files:");
    out.println("  configuration      " + root.resolve("etc"));
    out.println("  metrics per round  " + root.resolve("output/metrics.csv"));
    out.println("  plot               " + root.resolve("output/metrics.png"));
    out.println(
        "  final model        "
            + root.resolve("output/model.flp")
            + "  (reuse with --initial-model)");
    out.println("  logs               " + root.resolve("logs"));
    out.printf(Locale.ROOT, "Demo finished in %.1f s.%n", (System.nanoTime() - started) / 1e9);
  }

  private void awaitNodes(Endpoint link, DemoWorkspace ws, ChildProcesses children)
      throws InterruptedException {
    Path key = ws.key("researcher");
    ResearcherAuthentication researcher =
        ResearcherAuthentication.load(
            key, DemoWorkspace.pub(key), DemoWorkspace.pub(ws.key("superlink")));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    try (ControlConnection c =
        new ControlConnection(
            link, ws.caCertificate(), List.of(researcher.interceptor()), Duration.ofSeconds(90))) {
      while (true) {
        children.requireAllAlive();
        long online = c.listNodes().stream().filter(Node::getOnline).count();
        if (online >= nodes) {
          out.println("  " + online + " nodes online");
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new FedlinkException(
              ErrorCode.TIMEOUT,
              "only "
                  + online
                  + " of "
                  + nodes
                  + " nodes came online in 90 s; their logs are in "
                  + children.logFolder());
        }
        Thread.sleep(200);
      }
    }
  }

  /** Waits until the SuperLink accepts connections, so nodes do not start in backoff. */
  private static void awaitPort(int port, ChildProcesses children) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      children.requireAllAlive();
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new FedlinkException(ErrorCode.TIMEOUT, "the SuperLink did not start listening in 60 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
