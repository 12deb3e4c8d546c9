package org.fedlink.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.model.ModelFiles;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.fedlink.researcher.checkpoint.Settings;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.strategies.Strategy;
import org.fedlink.transport.TaskKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedlink run}: a federated experiment from the command line. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a federated experiment through the SuperLink.",
      "Writes metrics.csv, metrics.png and model.flp to the output folder, and a checkpoint",
      "after every round: a run whose process died continues with --resume RUN_ID."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin ClientOptions client = new ClientOptions();

  @Mixin ExperimentOptions experiment = new ExperimentOptions();

  @Mixin org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  @Mixin org.fedlink.cli.secagg.SecAggOptions secagg = new org.fedlink.cli.secagg.SecAggOptions();

  @Option(
      names = "--resume",
      paramLabel = "RUN_ID",
      description = {
        "Continue this run from the checkpoint in --output, at the round after its last one.",
        "Settings not given are the checkpoint's; settings given must equal them."
      })
  String resume;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var fromFile = config.fill(org.fedlink.core.config.Component.RESEARCHER);
    // A plan on DJL (cnn, --torchscript) unpacks libtorch beside the researcher's database.
    fromFile.ifPresent(
        c ->
            org.fedlink.djl.DjlRuntime.defaultCacheDir(
                c.path(org.fedlink.core.config.ConfigKeys.DB)
                    .toAbsolutePath()
                    .getParent()
                    .resolve("djl")));
    Clients.requireTlsChoice(client);
    if (resume != null) {
      var parsed = spec.commandLine().getParseResult();
      experiment.takeFrom(
          CheckpointFile.read(experiment.output).settings(), parsed::hasMatchedOption);
    }
    Experiment.Builder b = experiment.apply(Experiment.builder()).resume(resume);
    Clients.authentication(client).forEach(b::interceptor);
    b.superlink(client.endpoint())
        .rootCertificates(client.rootCertificates)
        .insecure(client.insecure)
        .listener(new ConsoleProgress(System.out, !experiment.noProgress));
    secagg.apply(b, fromFile);
    ExperimentResult result = runStoppingOnInterrupt(b.build());
    System.out.printf(
        Locale.ROOT,
        "done: %d rounds, final validation accuracy %.4f; files in %s%n",
        result.history().size(),
        result.last().valAccuracy(),
        experiment.output.toAbsolutePath());
    return 0;
  }

  /**
   * Runs the experiment; on Ctrl-C (SIGINT/SIGTERM) interrupts it and waits a little, so that it
   * stops its run and the nodes end its plan workers.
   */
  static ExperimentResult runStoppingOnInterrupt(Experiment experiment) {
    Thread main = Thread.currentThread();
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              main.interrupt();
              try {
                finished.await(15, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fedlink-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return experiment.run();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it waits for the countdown above
      }
    }
  }

  /** The experiment's choices, shared with the demo. */
  static final class ExperimentOptions {
    /** The plan JAR a --torchscript model is wrapped in, in the output folder. */
    static final String TORCHSCRIPT_JAR = "torchscript-plan.jar";

    @Option(
        names = "--plan",
        defaultValue = "logistic-regression",
        description =
            "Training plan: logistic-regression, mlp or cnn (images; PyTorch through DJL)"
                + " (default: ${DEFAULT-VALUE}).")
    String plan;

    @Option(
        names = "--plan-jar",
        paramLabel = "FILE",
        description = "A training-plan JAR instead of --plan; nodes may require its approval.")
    Path planJar;

    @Option(
        names = "--torchscript",
        paramLabel = "FILE",
        description =
            "A PyTorch model saved with torch.jit.script(model).save(FILE), fine-tuned on the nodes"
                + " with DJL; sent as a plan JAR (written to the output folder), so nodes may"
                + " require its approval.")
    Path torchscript;

    @Option(
        names = "--loss",
        defaultValue = "cross-entropy",
        description = "Loss of a --torchscript model: cross-entropy (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(
        names = "--input-shape",
        paramLabel = "C,H,W",
        description =
            "Shape of one row as a --torchscript model takes it, e.g. 1,28,28 (default: the flat"
                + " row of features).")
    String inputShape;

    @Option(
        names = "--tags",
        split = ",",
        paramLabel = "T1,T2",
        description = "Tags selecting each node's dataset (required).")
    List<String> tags = List.of();

    @Option(
        names = "--rounds",
        defaultValue = "10",
        description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--strategy",
        defaultValue = "fedavg",
        description = {
          "fedavg, fedprox, fedavgm, fedadagrad, fedadam, fedyogi, scaffold, median,",
          "trimmed-mean, krum or multi-krum (default: ${DEFAULT-VALUE})."
        })
    String strategy;

    @Option(
        names = "--server-lr",
        description =
            "Server learning rate: fedavgm 1.0, fedadagrad/fedadam/fedyogi 0.01, scaffold 1.0.")
    Double serverLr;

    @Option(
        names = "--server-momentum",
        defaultValue = "0.9",
        description = "FedAvgM server momentum (default: ${DEFAULT-VALUE}).")
    double serverMomentum;

    @Option(
        names = "--beta1",
        defaultValue = "0.9",
        description = "FedAdagrad/FedAdam/FedYogi first-moment decay (default: ${DEFAULT-VALUE}).")
    double beta1;

    @Option(
        names = "--beta2",
        defaultValue = "0.99",
        description = "FedAdam/FedYogi second-moment decay (default: ${DEFAULT-VALUE}).")
    double beta2;

    @Option(
        names = "--tau",
        defaultValue = "0.001",
        description = "Adaptivity tau of FedAdagrad/FedAdam/FedYogi (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(
        names = "--trim-beta",
        defaultValue = "0.1",
        description = "Share trimmed at each end by trimmed-mean (default: ${DEFAULT-VALUE}).")
    double trimBeta;

    @Option(
        names = "--byzantine",
        paramLabel = "F",
        defaultValue = "1",
        description = "Byzantine nodes Krum/Multi-Krum tolerate (default: ${DEFAULT-VALUE}).")
    int byzantine;

    @Option(
        names = "--krum-keep",
        paramLabel = "M",
        description = "Updates Multi-Krum averages (default: n - f of --min-nodes).")
    Integer krumKeep;

    @Option(
        names = "--fraction",
        defaultValue = "1.0",
        description = {
          "Share of the online nodes sampled to train each round, at least --min-nodes;",
          "seeded by --seed and the round (default: ${DEFAULT-VALUE})."
        })
    double fraction;

    @Option(
        names = "--dp",
        paramLabel = "central|local",
        description = {
          "Differential privacy: central (the researcher clips and adds noise) or local (each",
          "node clips and adds its share of the noise before encryption; use with --secagg)."
        })
    String dp;

    @Option(
        names = "--dp-noise-multiplier",
        paramLabel = "SIGMA",
        description = "Noise standard deviation over the clipping norm (required with --dp).")
    Double dpNoiseMultiplier;

    @Option(
        names = "--dp-clip-norm",
        paramLabel = "C",
        description = "L2 norm each update is clipped to (required with --dp).")
    Double dpClipNorm;

    @Option(
        names = "--dp-adaptive-clip",
        description = "Central DP: adapt the clipping norm to the median update norm.")
    boolean dpAdaptiveClip;

    @Option(
        names = "--dp-delta",
        defaultValue = "1e-5",
        description = "Delta of the (epsilon, delta) reported (default: ${DEFAULT-VALUE}).")
    double dpDelta;

    @Option(
        names = "--dp-epsilon-budget",
        paramLabel = "EPS",
        description = "Stop before a round that would bring epsilon above EPS.")
    Double dpEpsilonBudget;

    @Option(
        names = "--proximal-mu",
        defaultValue = "0.01",
        description = "FedProx proximal weight (default: ${DEFAULT-VALUE}).")
    double mu;

    @Option(
        names = "--min-nodes",
        defaultValue = "1",
        description = "Fewest nodes a round may complete with (default: ${DEFAULT-VALUE}).")
    int minNodes;

    @Option(
        names = "--epochs",
        defaultValue = "1",
        description = "Local epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
        names = "--batch-size",
        defaultValue = "32",
        description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
        names = "--learning-rate",
        defaultValue = "0.05",
        description = "Step size (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(
        names = "--optimizer",
        defaultValue = "sgd",
        description = "sgd or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(
        names = "--momentum",
        defaultValue = "0.9",
        description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(
        names = "--hidden",
        defaultValue = "64",
        description = "MLP hidden layer sizes, e.g. 64,32 (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--validation-fraction",
        defaultValue = "0.2",
        description =
            "Share of each node's data held out for validation (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(
        names = "--initial-model",
        paramLabel = "FILE",
        description =
            "Start from this model (.flp, .npz or .safetensors) instead of a fresh"
                + " initialization.")
    Path initialModel;

    @Option(
        names = "--output",
        paramLabel = "DIR",
        defaultValue = "fedlink-output",
        description =
            "Folder for metrics.csv, metrics.png, model.flp (default: ${DEFAULT-VALUE}); refused"
                + " while another run uses it.")
    Path output;

    @Option(
        names = "--round-timeout",
        paramLabel = "SECONDS",
        defaultValue = "600",
        description = "How long a round waits for nodes (default: ${DEFAULT-VALUE}).")
    long roundTimeoutSeconds;

    @Option(names = "--no-progress", description = "No progress bars, only one line per round.")
    boolean noProgress;

    /**
     * Sets every option not given on the command line from a checkpoint's settings, so that a
     * resumed run continues with the settings it started with.
     *
     * @param given whether an option (by name) was given on the command line
     */
    void takeFrom(Map<String, String> settings, Predicate<String> given) {
      BiConsumer<String, Consumer<String>> take =
          (key, setter) -> {
            String v = settings.get(key);
            if (v != null) {
              setter.accept(v);
            }
          };
      String task = Settings.TASK;
      if (!given.test("--plan")) {
        take.accept(Settings.PLAN, v -> plan = v);
      }
      if (!given.test("--plan-jar")) {
        take.accept(Settings.PLAN_JAR, v -> planJar = Path.of(v));
      }
      if (!given.test("--tags")) {
        take.accept(task + TaskKeys.DATASET_TAGS, v -> tags = List.of(v.split(",")));
      }
      if (!given.test("--rounds")) {
        take.accept(Settings.ROUNDS, v -> rounds = Integer.parseInt(v));
      }
      if (!given.test("--strategy")) {
        take.accept(Settings.STRATEGY, v -> strategy = v);
      }
      if (!given.test("--proximal-mu")) {
        take.accept(task + TrainingArgs.PROXIMAL_MU, v -> mu = Double.parseDouble(v));
      }
      if (!given.test("--fraction")) {
        take.accept(Settings.FRACTION, v -> fraction = Double.parseDouble(v));
      }
      String st = Settings.STRATEGY + ".";
      if (!given.test("--server-lr")) {
        take.accept(st + "server_lr", v -> serverLr = Double.parseDouble(v));
      }
      if (!given.test("--server-momentum")) {
        take.accept(st + "momentum", v -> serverMomentum = Double.parseDouble(v));
      }
      if (!given.test("--beta1")) {
        take.accept(st + "beta1", v -> beta1 = Double.parseDouble(v));
      }
      if (!given.test("--beta2")) {
        take.accept(st + "beta2", v -> beta2 = Double.parseDouble(v));
      }
      if (!given.test("--tau")) {
        take.accept(st + "tau", v -> tau = Double.parseDouble(v));
      }
      if (!given.test("--trim-beta")) {
        take.accept(st + "beta", v -> trimBeta = Double.parseDouble(v));
      }
      if (!given.test("--byzantine")) {
        take.accept(st + "f", v -> byzantine = Integer.parseInt(v));
      }
      if (!given.test("--krum-keep")) {
        take.accept(st + "m", v -> krumKeep = Integer.parseInt(v));
      }
      if (!given.test("--dp")) {
        take.accept(Settings.DP, v -> dp = v);
      }
      if (!given.test("--dp-noise-multiplier")) {
        take.accept(Settings.DP_NOISE_MULTIPLIER, v -> dpNoiseMultiplier = Double.parseDouble(v));
      }
      if (!given.test("--dp-clip-norm")) {
        take.accept(Settings.DP_CLIP_NORM, v -> dpClipNorm = Double.parseDouble(v));
      }
      if (!given.test("--dp-adaptive-clip")) {
        take.accept(Settings.DP_ADAPTIVE_CLIP, v -> dpAdaptiveClip = Boolean.parseBoolean(v));
      }
      if (!given.test("--dp-delta")) {
        take.accept(Settings.DP_DELTA, v -> dpDelta = Double.parseDouble(v));
      }
      if (!given.test("--dp-epsilon-budget")) {
        take.accept(Settings.DP_EPSILON_BUDGET, v -> dpEpsilonBudget = Double.parseDouble(v));
      }
      if (!given.test("--min-nodes")) {
        take.accept(Settings.MIN_NODES, v -> minNodes = Integer.parseInt(v));
      }
      if (!given.test("--epochs")) {
        take.accept(task + TrainingArgs.EPOCHS, v -> epochs = Integer.parseInt(v));
      }
      if (!given.test("--batch-size")) {
        take.accept(task + TrainingArgs.BATCH_SIZE, v -> batchSize = Integer.parseInt(v));
      }
      if (!given.test("--learning-rate")) {
        take.accept(task + TrainingArgs.LEARNING_RATE, v -> learningRate = Double.parseDouble(v));
      }
      if (!given.test("--optimizer")) {
        take.accept(task + TrainingArgs.OPTIMIZER, v -> optimizer = v);
      }
      if (!given.test("--momentum")) {
        take.accept(task + TrainingArgs.MOMENTUM, v -> momentum = Double.parseDouble(v));
      }
      if (!given.test("--hidden")) {
        take.accept(task + TrainingArgs.HIDDEN, v -> hidden = v);
      }
      if (!given.test("--seed")) {
        take.accept(task + TrainingArgs.SEED, v -> seed = Long.parseLong(v));
      }
      if (!given.test("--validation-fraction")) {
        take.accept(
            task + TaskKeys.VALIDATION_FRACTION, v -> validationFraction = Double.parseDouble(v));
      }
    }

    TrainingArgs trainingArgs() {
      return TrainingArgs.fromMap(
          java.util.Map.of(
              TrainingArgs.EPOCHS, Integer.toString(epochs),
              TrainingArgs.BATCH_SIZE, Integer.toString(batchSize),
              TrainingArgs.LEARNING_RATE, Double.toString(learningRate),
              TrainingArgs.OPTIMIZER, optimizer,
              TrainingArgs.MOMENTUM, Double.toString(momentum),
              TrainingArgs.SEED, Long.toString(seed),
              TrainingArgs.HIDDEN, hidden));
    }

    Strategy strategy() {
      return Strategies.of(
          strategy,
          new Strategies.Options(
              mu,
              serverLr,
              serverMomentum,
              beta1,
              beta2,
              tau,
              trimBeta,
              byzantine,
              krumKeep,
              fraction,
              minNodes));
    }

    /** The differential privacy asked for, or null. */
    DifferentialPrivacy privacy() {
      if (dp == null) {
        for (String flag :
            new String[] {
              dpNoiseMultiplier == null ? null : "--dp-noise-multiplier",
              dpClipNorm == null ? null : "--dp-clip-norm",
              dpAdaptiveClip ? "--dp-adaptive-clip" : null,
              dpEpsilonBudget == null ? null : "--dp-epsilon-budget"
            }) {
          if (flag != null) {
            throw new FedlinkException(
                ErrorCode.INVALID_ARGUMENT, flag + " needs --dp central or --dp local");
          }
        }
        return null;
      }
      DifferentialPrivacy.Mode mode = DifferentialPrivacy.Mode.parse(dp);
      if (dpNoiseMultiplier == null || dpClipNorm == null) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "--dp "
                + dp
                + " needs --dp-noise-multiplier SIGMA and --dp-clip-norm C (e.g. 1.0 and 1.0)");
      }
      return new DifferentialPrivacy(
          mode,
          dpNoiseMultiplier,
          dpClipNorm,
          dpAdaptiveClip,
          dpDelta,
          dpEpsilonBudget == null ? Double.POSITIVE_INFINITY : dpEpsilonBudget);
    }

    Experiment.Builder apply(Experiment.Builder b) {
      if (torchscript != null) {
        if (planJar != null) {
          throw new FedlinkException(
              ErrorCode.INVALID_ARGUMENT, "give --torchscript or --plan-jar, not both");
        }
        planJar = output.resolve(TORCHSCRIPT_JAR);
        org.fedlink.djl.TorchScriptJar.write(torchscript, loss, inputShape, planJar);
      }
      b.plan(plan)
          .planJar(planJar)
          .datasetTags(tags)
          .rounds(rounds)
          .strategy(strategy())
          .minNodes(minNodes)
          .fraction(fraction)
          .differentialPrivacy(privacy())
          .trainingArgs(trainingArgs())
          .validationFraction(validationFraction)
          .outputDir(output)
          .roundTimeout(Duration.ofSeconds(roundTimeoutSeconds));
      if (initialModel != null) {
        b.initialModel(ModelFiles.read(initialModel));
      }
      return b;
    }
  }
}
