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
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.tls.DevelopmentCa;
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
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.auth.ResearcherAuthentication;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedlink demo}: a whole federation on this machine, as separate processes over TLS, every
 * step printed as the command that does it by hand.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a complete federation on this machine: a development CA, authentication keys,",
      "one SuperLink and several SuperNodes as separate processes over TLS with every call",
      "authenticated, a bundled data set split non-IID",
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

  @Option(names = "--keep", description = "Leave the federation running after the experiment.")
  boolean keep;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Workspace folder (default: a new temporary one).")
  Path dir;

  private final PrintStream out = System.out;
  private final String fedlink = System.getenv().getOrDefault("FEDLINK_LAUNCHER", "fedlink");

  @Override
  public Integer call() throws Exception {
    DemoProfile profile = DemoProfile.of(dataset);
    int roundCount = rounds == null ? profile.rounds() : rounds;
    double a = alpha == null ? profile.alpha() : alpha;
    if (nodes < 1 || nodes > 50) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "--nodes " + nodes + " must be 1..50");
    }
    if (roundCount < 1) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "--rounds must be at least 1");
    }
    long started = System.nanoTime();
    Path ws =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("fedlink-demo-");
    ChildProcesses children = new ChildProcesses();
    Thread cleanup = new Thread(children::stopAll, "demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      out.println("Fedlink demo in " + ws);
      step("Development CA and the SuperLink's TLS certificate (localhost, 127.0.0.1)");
      DevelopmentCa.CaFiles tls =
          DevelopmentCa.create(ws.resolve("certs"), List.of("localhost", "127.0.0.1"));
      int port = freePort();
      String address = "127.0.0.1:" + port;

      step("Authentication keys: the SuperLink's, one per node, the researcher's");
      Path keys = ws.resolve("keys");
      Path linkKey = keys.resolve("superlink");
      Path researcherKey = keys.resolve("researcher");
      generateKey(linkKey);
      StringBuilder knownNodes = new StringBuilder();
      for (int i = 0; i < nodes; i++) {
        generateKey(nodeKey(ws, i));
        knownNodes.append(Files.readString(pub(nodeKey(ws, i))));
      }
      generateKey(researcherKey);
      Path knownNodesFile = keys.resolve("known_supernodes.csv");
      Path knownResearchersFile = keys.resolve("known_researchers.csv");
      Files.writeString(knownNodesFile, knownNodes.toString());
      Files.writeString(knownResearchersFile, Files.readString(pub(researcherKey)));
      out.println("$ cat " + keys.resolve("supernode-*.pub") + " > " + knownNodesFile);
      out.println("$ cp " + pub(researcherKey) + " " + knownResearchersFile);
      List<String> researcherAuth =
          List.of(
              "--auth-researcher-private-key",
              researcherKey.toString(),
              "--auth-researcher-public-key",
              pub(researcherKey).toString(),
              "--auth-superlink-public-key",
              pub(linkKey).toString());
      ResearcherAuthentication researcher =
          ResearcherAuthentication.load(researcherKey, pub(researcherKey), pub(linkKey));

      step("SuperLink");
      List<String> linkArgs =
          new ArrayList<>(
              List.of(
                  "superlink",
                  "start",
                  "--address",
                  address,
                  "--ssl-ca-certfile",
                  tls.caCertificate().toString(),
                  "--ssl-certfile",
                  tls.serverCertificate().toString(),
                  "--ssl-keyfile",
                  tls.serverKey().toString(),
                  "--home",
                  ws.resolve("superlink").toString(),
                  "--heartbeat-interval",
                  "1",
                  "--auth-list-public-keys",
                  knownNodesFile.toString(),
                  "--auth-superlink-private-key",
                  linkKey.toString(),
                  "--auth-superlink-public-key",
                  pub(linkKey).toString(),
                  "--auth-list-researcher-public-keys",
                  knownResearchersFile.toString()));
      show(linkArgs, "&");
      children.start("superlink", linkArgs, ws.resolve("logs/superlink.log"));
      awaitPort(port, children);

      step(
          "Data: "
              + profile.dataset()
              + ", 20% held out for testing, the rest split non-IID (Dirichlet alpha "
              + a
              + ") across "
              + nodes
              + " nodes");
      Dataset all = BundledDatasets.load(profile.dataset());
      TrainTestSplit split = Splits.trainTest(all, TEST_FRACTION, SEED);
      List<Dataset> parts = new DirichletPartitioner(a, SEED).split(split.train(), nodes);
      List<String> tags = List.of(profile.dataset());
      for (int i = 0; i < nodes; i++) {
        Path file = ws.resolve("data/node-" + (i + 1) + ".csv");
        Files.createDirectories(file.getParent());
        CsvDatasetLoader.write(parts.get(i), file);
        List<String> addArgs =
            List.of(
                "supernode",
                "dataset",
                "add",
                "--home",
                nodeHome(ws, i).toString(),
                "--name",
                profile.dataset(),
                "--tags",
                String.join(",", tags),
                "--path",
                file.toString());
        show(addArgs, "");
        int code = Main.commandLine().execute(addArgs.toArray(new String[0]));
        if (code != 0) {
          throw new FedlinkException(
              ErrorCode.INTERNAL, "registering the dataset of node " + (i + 1) + " failed");
        }
      }

      step(nodes + " SuperNodes");
      for (int i = 0; i < nodes; i++) {
        List<String> nodeArgs =
            List.of(
                "supernode",
                "start",
                "--superlink",
                address,
                "--root-certificates",
                tls.caCertificate().toString(),
                "--home",
                nodeHome(ws, i).toString(),
                "--auth-supernode-private-key",
                nodeKey(ws, i).toString(),
                "--auth-supernode-public-key",
                pub(nodeKey(ws, i)).toString(),
                "--auth-superlink-public-key",
                pub(linkKey).toString());
        show(nodeArgs, "&");
        children.start(
            "supernode-" + (i + 1), nodeArgs, ws.resolve("logs/supernode-" + (i + 1) + ".log"));
      }
      awaitNodes(Endpoint.parse(address), tls.caCertificate(), researcher, children);

      step("Experiment: " + profile.plan() + ", " + roundCount + " rounds, FedAvg");
      Path output = ws.resolve("output");
      RunCommand.ExperimentOptions opts = new RunCommand.ExperimentOptions();
      List<String> runArgs =
          new ArrayList<>(
              List.of(
                  "run",
                  "--superlink",
                  address,
                  "--root-certificates",
                  tls.caCertificate().toString(),
                  "--plan",
                  profile.plan(),
                  "--tags",
                  String.join(",", tags),
                  "--rounds",
                  Integer.toString(roundCount),
                  "--min-nodes",
                  Integer.toString(nodes),
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
                  Long.toString(profile.args().seed()),
                  "--output",
                  output.toString()));
      runArgs.addAll(researcherAuth);
      if (profile.args().hidden().length > 0 && profile.plan().equals("mlp")) {
        runArgs.add("--hidden");
        runArgs.add(joined(profile.args().hidden()));
      }
      show(runArgs, "");
      picocli.CommandLine.populateCommand(opts, tail(runArgs));
      Experiment.Builder b =
          opts.apply(Experiment.builder())
              .superlink(Endpoint.parse(address))
              .rootCertificates(tls.caCertificate())
              .interceptor(researcher.interceptor())
              .listener(new ConsoleProgress(out, true));
      ExperimentResult result = b.build().run();

      TrainingPlan plan = BuiltinPlans.get(profile.plan());
      Metrics federated = plan.evaluate(result.model(), split.test());
      Metrics central =
          CentralizedTraining.trainAndEvaluate(
              plan, split.train(), split.test(), profile.args(), roundCount);
      out.println();
      out.printf(
          Locale.ROOT,
          "Test accuracy on %d held-out rows: federated %.4f, centralized %.4f (difference %+.2f points)%n",
          split.test().rows(),
          federated.accuracy(),
          central.accuracy(),
          100 * (federated.accuracy() - central.accuracy()));
      out.println("Files:");
      out.println("  metrics per round  " + output.resolve("metrics.csv"));
      out.println("  plot               " + output.resolve("metrics.png"));
      out.println(
          "  final model        " + output.resolve("model.flp") + "  (reuse with --initial-model)");
      out.println("  logs               " + ws.resolve("logs"));
      out.printf(Locale.ROOT, "Demo finished in %.1f s.%n", (System.nanoTime() - started) / 1e9);
      if (keep) {
        out.println(
            "The federation keeps running (--keep). Try: "
                + fedlink
                + " nodes --superlink "
                + address
                + " --root-certificates "
                + tls.caCertificate()
                + " "
                + String.join(" ", researcherAuth)
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

  private void awaitNodes(
      Endpoint link, Path ca, ResearcherAuthentication researcher, ChildProcesses children)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    try (ControlConnection c =
        new ControlConnection(
            link, ca, List.of(researcher.interceptor()), Duration.ofSeconds(90))) {
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

  private static String[] tail(List<String> runArgs) {
    List<String> keep = new ArrayList<>();
    for (int i = 1; i < runArgs.size(); i += 2) {
      String flag = runArgs.get(i);
      if (flag.equals("--superlink")
          || flag.equals("--root-certificates")
          || flag.startsWith("--auth-")) {
        continue;
      }
      keep.add(flag);
      keep.add(runArgs.get(i + 1));
    }
    return keep.toArray(new String[0]);
  }

  private static String joined(int[] values) {
    StringBuilder s = new StringBuilder();
    for (int v : values) {
      s.append(s.length() == 0 ? "" : ",").append(v);
    }
    return s.toString();
  }

  /** Generates a key pair as `fedlink keys generate --out FILE` does, and shows that command. */
  private void generateKey(Path file) throws IOException, KeyFormatException {
    show(List.of("keys", "generate", "--out", file.toString()), "");
    Files.createDirectories(file.getParent());
    OpenSshKeys.generate(file, OpenSshKeys.DEFAULT_CURVE, file.getFileName().toString());
  }

  private static Path nodeKey(Path ws, int i) {
    return ws.resolve("keys/supernode-" + (i + 1));
  }

  private static Path pub(Path privateKey) {
    return OpenSshKeys.publicKeyFileOf(privateKey);
  }

  private static Path nodeHome(Path ws, int i) {
    return ws.resolve("supernode-" + (i + 1));
  }

  private void step(String title) {
    out.println();
    out.println("== " + title);
  }

  private void show(List<String> args, String suffix) {
    out.println(
        "$ " + fedlink + " " + String.join(" ", args) + (suffix.isEmpty() ? "" : " " + suffix));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
