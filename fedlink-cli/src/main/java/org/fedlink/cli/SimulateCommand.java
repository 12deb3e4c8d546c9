package org.fedlink.cli;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.fedlink.simulation.Partitions;
import org.fedlink.simulation.Simulation;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedlink simulate}: an experiment on many virtual nodes in this process. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run an experiment on many virtual SuperNodes in this process: the same",
      "node, SuperLink and researcher code as a real federation, over an",
      "in-process transport. Each virtual node holds one partition of the data.",
      "Writes metrics.csv, metrics.png and model.flp to --output, as `fedlink run`",
      "does; the same settings and seed give the same model.",
      "",
      "With --secagg the virtual nodes aggregate securely, each with an MPC",
      "certificate of its own; a round that dropouts make fail keeps its model.",
      "",
      "Example: fedlink simulate --nodes 1000 --dataset synthetic \\",
      "           --partition dirichlet:0.3 --fraction 0.1 --rounds 20 --secagg secagg+"
    })
final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = "--nodes",
      defaultValue = "100",
      description = "Virtual nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--dataset",
      defaultValue = "digits",
      paramLabel = "NAME|FILE",
      description = {
        "digits, breast-cancer, synthetic (50 rows per node of 10 clusters), or a CSV file",
        "(default: ${DEFAULT-VALUE})."
      })
  String dataset;

  @Option(
      names = "--partition",
      defaultValue = "iid",
      description = {
        "How the rows are shared among nodes: " + Partitions.FORMS,
        "(default: ${DEFAULT-VALUE})."
      })
  String partition;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Local trainings running at once (default: the number of cores).")
  Integer concurrency;

  @Option(
      names = "--dropout-rate",
      defaultValue = "0",
      description = "Chance that a sampled node drops out of a round (default: ${DEFAULT-VALUE}).")
  double dropoutRate;

  @Option(
      names = "--straggler-rate",
      defaultValue = "0",
      description =
          "Chance that a node's training starts --straggler-delay late (default: ${DEFAULT-VALUE}).")
  double stragglerRate;

  @Option(
      names = "--straggler-delay",
      paramLabel = "MS",
      defaultValue = "1000",
      description = "How late a straggler starts, in ms (default: ${DEFAULT-VALUE}).")
  long stragglerDelayMs;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Keep the SuperLink's state and the node database here (default: temporary).")
  Path workDir;

  @Option(
      names = "--node-config",
      paramLabel = "FILE",
      description = {
        "A SuperNode configuration whose secure-aggregation policy every virtual node applies:",
        "[security] secure_aggregation, force_secure_aggregation, secure_aggregation_schemes,",
        "[mpc] allow_default_biprimes, min_biprime_bits (default: a node's defaults)."
      })
  Path nodeConfig;

  @Option(
      names = "--resume",
      paramLabel = "RUN_ID",
      description = {
        "Continue this run from the checkpoint in --output, at the round after its last one,",
        "with the --work-dir of the interrupted simulation (its SuperLink's state). Settings not",
        "given are the checkpoint's; settings given must equal them."
      })
  String resume;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin RunCommand.ExperimentOptions experiment = new RunCommand.ExperimentOptions();

  @Mixin org.fedlink.cli.secagg.SchemeOptions secagg = new org.fedlink.cli.secagg.SchemeOptions();

  @Override
  public Integer call() {
    if (System.getenv("FEDLINK_LOG_LEVEL") == null) {
      // Thousands of nodes would each log every task: only their warnings are shown.
      quiet("org.fedlink.supernode");
      quiet("org.fedlink.superlink");
    }
    if (resume != null) {
      takeFromCheckpoint();
    }
    Experiment.Builder b = experiment.apply(Experiment.builder()).resume(resume);
    // The researcher and every virtual node get MPC certificates of their own, registered with
    // each other: no identity to give, even for Joye-Libert.
    b.secureAggregation(secagg.secureAggregation());
    b.listener(new ConsoleProgress(System.out, !experiment.noProgress));
    Simulation.Builder s =
        Simulation.builder()
            .nodes(nodes)
            .dataset(dataset)
            .partition(partition)
            .dropoutRate(dropoutRate)
            .stragglers(stragglerRate, Duration.ofMillis(stragglerDelayMs))
            .seed(experiment.seed)
            .workDir(workDir)
            .experiment(b)
            .progress(System.out::println);
    if (concurrency != null) {
      s.concurrency(concurrency);
    }
    if (nodeConfig != null) {
      s.nodeSecureAggregation(
          org.fedlink.cli.secagg.SecAggSettings.policy(
                  org.fedlink.core.config.FedlinkConfig.load(
                      nodeConfig, org.fedlink.core.config.Component.SUPERNODE))
              .maskParallelism(1)
              .build());
    }
    ExperimentResult result = s.build().run();
    System.out.printf(
        Locale.ROOT,
        "done: %d rounds on %d virtual nodes, final validation accuracy %.4f; files in %s%n",
        result.history().size(),
        nodes,
        result.last().valAccuracy(),
        experiment.output.toAbsolutePath());
    return 0;
  }

  /**
   * Fills every option not given from the checkpoint of the run to resume: the experiment's, as
   * {@code fedlink run --resume} does, and the simulation's own ({@code simulation.*}).
   */
  private void takeFromCheckpoint() {
    if (workDir == null) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "--resume "
              + resume
              + " needs the --work-dir of the interrupted simulation: it holds the state of its"
              + " SuperLink and nodes (a simulation without --work-dir cannot be resumed)");
    }
    var parsed = spec.commandLine().getParseResult();
    Map<String, String> saved = CheckpointFile.read(experiment.output).settings();
    experiment.takeFrom(saved, parsed::hasMatchedOption);
    BiConsumer<String, Consumer<String>> take =
        (flag, setter) -> {
          String key = flag.equals("--straggler-delay") ? "straggler_delay_ms" : flag.substring(2);
          String v = saved.get("simulation." + key.replace('-', '_'));
          if (v != null && !parsed.hasMatchedOption(flag)) {
            setter.accept(v);
          }
        };
    take.accept("--nodes", v -> nodes = Integer.parseInt(v));
    take.accept("--dataset", v -> dataset = v);
    take.accept("--partition", v -> partition = v);
    take.accept("--dropout-rate", v -> dropoutRate = Double.parseDouble(v));
    take.accept("--straggler-rate", v -> stragglerRate = Double.parseDouble(v));
    take.accept("--straggler-delay", v -> stragglerDelayMs = Long.parseLong(v));
  }

  private static void quiet(String logger) {
    if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(Level.WARN);
    }
  }
}
