package org.fedlink.researcher;

import io.grpc.ClientInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.ControlVariates;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.checkpoint.Checkpoint;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.fedlink.researcher.checkpoint.Settings;
import org.fedlink.researcher.output.ExperimentOutputs;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.privacy.RoundPrivacy;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.researcher.secagg.SecureRounds;
import org.fedlink.researcher.secagg.SecureRunContext;
import org.fedlink.researcher.strategies.AveragingStrategy;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.RobustAggregator;
import org.fedlink.researcher.strategies.Strategy;
import org.fedlink.transport.Endpoint;
import org.fedlink.transport.TaskKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A federated training experiment: a training plan, the datasets it uses (by tags), a number of
 * rounds and a strategy. {@link #run()} drives it through the SuperLink: each round sends the
 * global model out, nodes train locally, updates come back and are aggregated, then every node
 * evaluates the new model on its validation split.
 *
 * <p>With an output folder, a checkpoint is written after every round ({@link CheckpointFile}), so
 * an experiment whose process died continues with {@link Builder#resume(String)} at the next round
 * on the same run. A failed or interrupted (Ctrl-C) experiment stops its run on the SuperLink, so
 * only a crash leaves a run to resume.
 *
 * <p>Build with {@link #builder()}. Not reusable: run once.
 */
public final class Experiment {
  private static final Logger log = LoggerFactory.getLogger(Experiment.class);

  private static final int DOWNLOAD_THREADS = 4;
  private final Builder b;

  private Experiment(Builder b) {
    this.b = b;
  }

  /** How long a failed experiment tries to stop its run. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every round.
   *
   * @throws RoundFailedException if a round cannot complete (the message names the nodes)
   * @throws FedlinkException if the SuperLink stays unreachable or refuses a call
   */
  public ExperimentResult run() {
    // Checked before anything can stop the run: a refused resume leaves the run resumable.
    Checkpoint resumed = b.resumeRunId == null ? null : resumable();
    String runId = resumed != null ? resumed.runId() : UUID.randomUUID().toString();
    boolean dp = b.privacy != null;
    ExperimentOutputs outputs =
        b.outputDir == null
            ? null
            : resumed != null
                ? ExperimentOutputs.resume(b.outputDir, runId, resumed.history(), dp)
                : new ExperimentOutputs(b.outputDir, runId, dp);
    ExecutorService downloads =
        Executors.newFixedThreadPool(
            DOWNLOAD_THREADS,
            r -> {
              Thread t = new Thread(r, "experiment-download");
              t.setDaemon(true);
              return t;
            });
    Round training = null; // plain or secure; closed on every path
    try (ControlConnection control =
        new ControlConnection(
            b.superlink, b.rootCertificates, b.interceptors, b.reconnectTimeout)) {
      PlanJar jar = b.planJar == null ? null : PlanJar.read(b.planJar);
      Map<String, String> taskConfig = taskConfig();
      String planName = b.plan;
      if (jar != null) {
        planName = jar.taskPlan();
        taskConfig.put(TaskKeys.PLAN_SHA256, jar.sha256());
        taskConfig.put(TaskKeys.PLAN_NAME, jar.name());
      }
      Map<String, String> runConfig = new LinkedHashMap<>();
      runConfig.put("plan", planName);
      runConfig.put("rounds", Integer.toString(b.rounds));
      runConfig.put("strategy", b.strategy.name());
      runConfig.put(TaskKeys.DATASET_TAGS, String.join(",", b.datasetTags));
      if (resumed == null) {
        control.createRun(runId, runConfig);
        log.info("run {} created", runId);
        if (outputs != null) {
          b.listener.info(
              "run "
                  + runId
                  + " created; if this process dies, continue it with --resume "
                  + runId);
        }
      } else {
        log.info("run {} resumed after round {}/{}", runId, resumed.round(), b.rounds);
        b.listener.info("resuming run " + runId + " after round " + resumed.round());
      }
      RunDriver driver = new RunDriver(control, runId, b, taskConfig, planName);
      if (jar != null) {
        // Every node receives the JAR and checks it against its policy before any data is read.
        driver.phase(
            TaskKeys.KIND_PREPARE_PLAN, 0, control.upload(jar.bytes()), "send training plan");
      }
      Parameters global = resumed != null ? resumed.model() : b.initialModel;
      Strategy strategy =
          resumed != null ? b.strategy.withState(resumed.strategyState()) : b.strategy;
      RoundPrivacy privacy = b.privacy == null ? null : new RoundPrivacy(b.privacy);
      if (privacy != null) {
        privacy.frozenTensors(
            (jar != null ? jar.load() : BuiltinPlans.get(planId())).frozenTensors());
      }
      if (privacy != null && resumed != null) {
        privacy.restore(resumed.strategyState());
      }
      Map<String, String> settings = settings(jar);
      if (global == null) {
        List<TaskResult> described = driver.phase(TaskKeys.KIND_DESCRIBE, 0, null, "describe data");
        List<DataSummary> parts = new ArrayList<>();
        for (TaskResult r : described) {
          parts.add(
              DataSummary.fromParameters(ParametersCodec.decode(control.download(r.getBlobId()))));
        }
        TrainingPlan plan = jar != null ? jar.load() : BuiltinPlans.get(planId());
        global = plan.initialize(DataSummary.merge(parts), b.args);
      }
      global = strategy.initialize(global); // e.g. SCAFFOLD's server control variates
      List<RoundMetrics> history = new ArrayList<>(resumed != null ? resumed.history() : List.of());
      if (outputs != null && resumed == null) {
        // Round 0: a crash during round 1 resumes without describing the data again.
        CheckpointFile.write(
            b.outputDir,
            new Checkpoint(runId, 0, global, history, settings, state(strategy, privacy, null)));
      }
      training = trainingRound(control, runId, driver, downloads);
      if (resumed != null) {
        training.restore(resumed.strategyState());
      }
      for (int round = resumed != null ? resumed.round() + 1 : 1; round <= b.rounds; round++) {
        long start = System.nanoTime();
        double samplingRate = driver.sample(round);
        if (privacy != null && !privacy.nextFits(samplingRate)) {
          if (history.isEmpty()) {
            throw new FedlinkException(
                ErrorCode.PRIVACY_BUDGET_EXHAUSTED,
                String.format(
                    java.util.Locale.ROOT,
                    "one round with %d of the online nodes (sampling rate %.3f) already costs"
                        + " epsilon %.4f, above --dp-epsilon-budget %s: raise the budget or"
                        + " --dp-noise-multiplier, or lower --fraction",
                    driver.sampledNodes().size(),
                    samplingRate,
                    privacy.epsilonAfterNext(samplingRate),
                    privacy.settings().epsilonBudget()));
          }
          String line = budgetLine(privacy, samplingRate, round);
          log.info(line);
          b.listener.info(line);
          break;
        }
        // Small models travel with the phase's tasks: no upload call of their own.
        String modelBlob = control.stage(ParametersCodec.encode(global));
        String phase = "round " + round + "/" + b.rounds;
        Round.Outcome trainedRound;
        try {
          trainedRound = training.train(round, global, modelBlob, phase + " train");
        } catch (RoundFailedException e) {
          if (!b.continuesAfterLostRounds() || e.lostNodes().isEmpty()) {
            throw e;
          }
          // The round is recorded with no update: the model stays as it was.
          log.info("{}; the model stays as it was and the run goes on", e.getMessage());
          b.listener.info(e.getMessage() + "; the model stays as it was, the run goes on");
          trainedRound = new Round.Outcome(List.of(), List.of(), e.lostNodes());
        }
        List<TaskResult> trained = trainedRound.results();
        double trainLoss = 0;
        long examples = 0;
        for (TaskResult r : trained) {
          trainLoss += r.getMetricsOrDefault("train_loss", Double.NaN) * r.getNumExamples();
          examples += r.getNumExamples();
        }
        // A secure round brings one update, global + the decrypted mean: "average, then step".
        boolean lostRound = trainedRound.updates().isEmpty();
        if (!lostRound) {
          global = RoundAggregation.next(strategy, privacy, global, trainedRound.updates());
        }
        String newBlob = control.stage(ParametersCodec.encode(global));
        List<TaskResult> evaluated =
            driver.phase(TaskKeys.KIND_EVALUATE, round, newBlob, phase + " evaluate");
        double loss = 0;
        double acc = 0;
        long valExamples = 0;
        for (TaskResult r : evaluated) {
          loss += r.getMetricsOrDefault("loss", Double.NaN) * r.getNumExamples();
          acc += r.getMetricsOrDefault("accuracy", Double.NaN) * r.getNumExamples();
          valExamples += r.getNumExamples();
        }
        RoundMetrics m =
            new RoundMetrics(
                round,
                trained.size(),
                examples == 0 ? Double.NaN : trainLoss / examples,
                valExamples == 0 ? Double.NaN : loss / valExamples,
                valExamples == 0 ? Double.NaN : acc / valExamples,
                (System.nanoTime() - start) / 1e9,
                dropped(driver.takeDropped(), trainedRound.dropped()),
                privacy == null
                    ? Double.NaN
                    // nothing of a lost round was decoded: it spends no privacy
                    : lostRound ? privacy.epsilon() : privacy.account(samplingRate));
        history.add(m);
        if (outputs != null) {
          outputs.appendRound(m);
          CheckpointFile.write(
              b.outputDir,
              new Checkpoint(
                  runId, round, global, history, settings, state(strategy, privacy, training)));
        }
        b.listener.roundFinished(m);
        RunReports.report(control, runId, b.rounds, m);
      }
      Parameters model = ControlVariates.model(global); // without SCAFFOLD's variates
      if (outputs != null) {
        outputs.finish(model, history);
      }
      control.stopRun(runId);
      return new ExperimentResult(runId, model, history, b.outputDir);
    } catch (RuntimeException | Error e) {
      stopAfterFailure(runId);
      throw e;
    } finally {
      if (training != null) {
        training.close();
      }
      if (outputs != null) {
        outputs.close();
      }
      downloads.shutdownNow();
    }
  }

  /**
   * The checkpoint to resume from, once checked: it is of the run to resume, not complete, its
   * settings are those of this experiment, and the run still runs on the SuperLink.
   *
   * @throws FedlinkException naming what prevents the resume and what to do
   */
  private Checkpoint resumable() {
    Checkpoint c = CheckpointFile.read(b.outputDir);
    Path file = CheckpointFile.of(b.outputDir);
    if (!c.runId().equals(b.resumeRunId)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the checkpoint "
              + file
              + " is of run "
              + c.runId()
              + ", not "
              + b.resumeRunId
              + ": give the --output folder of run "
              + b.resumeRunId);
    }
    if (c.complete()) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "run "
              + c.runId()
              + " completed all "
              + c.rounds()
              + " rounds (model in "
              + b.outputDir.resolve(ExperimentOutputs.MODEL)
              + "): nothing to resume");
    }
    Settings.requireSame(c, settings(b.planJar == null ? null : PlanJar.read(b.planJar)), file);
    try (ControlConnection control =
        new ControlConnection(
            b.superlink, b.rootCertificates, b.interceptors, b.reconnectTimeout)) {
      Run run =
          control
              .getRun(c.runId())
              .orElseThrow(
                  () ->
                      new FedlinkException(
                          ErrorCode.NOT_FOUND,
                          "run "
                              + c.runId()
                              + " does not exist on the SuperLink at "
                              + b.superlink
                              + " (is it the SuperLink the run was started on?); start a new run"));
      if (run.getStopped()) {
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "run "
                + c.runId()
                + " was stopped on the SuperLink"
                + (run.getStoppedMs() == 0 ? "" : " at " + Instant.ofEpochMilli(run.getStoppedMs()))
                + (run.getStopReason().isEmpty() ? "" : " (" + run.getStopReason() + ")")
                + "; start a new run");
      }
    }
    return c;
  }

  /** What a checkpoint keeps of the strategy, the privacy accountant and the training round. */
  private static Map<String, String> state(
      Strategy strategy, RoundPrivacy privacy, Round training) {
    Map<String, String> s = new LinkedHashMap<>(strategy.state());
    if (privacy != null) {
      s.putAll(privacy.state());
    }
    if (training != null) {
      s.putAll(training.state());
    }
    return s;
  }

  /** The line that ends a run whose next round would pass the privacy budget. */
  private static String budgetLine(RoundPrivacy privacy, double samplingRate, int round) {
    return String.format(
        java.util.Locale.ROOT,
        "privacy budget reached: round %d would bring epsilon from %.4f to %.4f, above"
            + " --dp-epsilon-budget %s (delta %s); stopping after round %d",
        round,
        privacy.epsilon(),
        privacy.epsilonAfterNext(samplingRate),
        privacy.settings().epsilonBudget(),
        privacy.settings().delta(),
        round - 1);
  }

  /** The settings that decide the experiment's results, as a checkpoint records them. */
  private Map<String, String> settings(PlanJar jar) {
    Map<String, String> s = new TreeMap<>();
    s.put(Settings.PLAN, b.plan);
    if (jar != null) {
      s.put(Settings.PLAN_SHA256, jar.sha256());
      s.put(Settings.PLAN_JAR, b.planJar.toAbsolutePath().toString());
    }
    s.put(Settings.ROUNDS, Integer.toString(b.rounds));
    s.put(Settings.MIN_NODES, Integer.toString(b.minNodes));
    s.put(Settings.STRATEGY, b.strategy.name());
    s.put(
        Settings.SECURE_AGGREGATION,
        b.secureAggregation == null
            ? "false"
            : b.secureAggregation.scheme().equals(SecureAggregation.SCHEMES.get(0))
                ? "true" // Joye-Libert, as checkpoints wrote it before there were other schemes
                : b.secureAggregation.scheme());
    b.strategy.hyperparameters().forEach((k, v) -> s.put(Settings.STRATEGY + "." + k, v));
    if (b.fraction < 1) {
      s.put(Settings.FRACTION, Double.toString(b.fraction));
    }
    if (b.privacy != null) {
      s.put(Settings.DP, b.privacy.mode().id());
      s.put(Settings.DP_NOISE_MULTIPLIER, Double.toString(b.privacy.noiseMultiplier()));
      s.put(Settings.DP_CLIP_NORM, Double.toString(b.privacy.clipNorm()));
      s.put(Settings.DP_ADAPTIVE_CLIP, Boolean.toString(b.privacy.adaptiveClip()));
      s.put(Settings.DP_DELTA, Double.toString(b.privacy.delta()));
      s.put(Settings.DP_EPSILON_BUDGET, Double.toString(b.privacy.epsilonBudget()));
    }
    taskConfig().forEach((k, v) -> s.put(Settings.TASK + k, v));
    if (b.continuesAfterLostRounds()) {
      s.put("lost_rounds", "continue");
    }
    s.putAll(b.settings);
    return s;
  }

  /**
   * Stops the run of a failed or interrupted experiment, so its nodes end what they keep for it
   * (plan workers); best effort, within {@link #STOP_TIMEOUT}.
   */
  private void stopAfterFailure(String runId) {
    boolean interrupted = Thread.interrupted();
    try (ControlConnection control =
        new ControlConnection(b.superlink, b.rootCertificates, b.interceptors, STOP_TIMEOUT)) {
      control.stopRun(runId);
      log.info("run {} stopped after its failure", runId);
    } catch (RuntimeException e) {
      log.debug("run {} could not be stopped: {}", runId, e.getMessage());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<String> dropped(List<String> byDriver, List<String> byRound) {
    List<String> out = new ArrayList<>(byDriver);
    out.addAll(byRound);
    return out;
  }

  /** The training phase of every round: plain, or secure with the chosen scheme. */
  private Round trainingRound(
      ControlConnection control, String runId, RunDriver driver, ExecutorService downloads) {
    if (b.secureAggregation == null) {
      return new PlainRound(driver, control, downloads);
    }
    SecureRunContext ctx =
        new SecureRunContext(
            control,
            runId,
            b.plan,
            taskConfig(),
            driver::sampledNodes,
            b.listener,
            b.roundTimeout,
            b.rounds);
    return SecureRounds.of(b.secureAggregation, ctx);
  }

  private String planId() {
    return b.plan.startsWith("builtin:") ? b.plan.substring(8) : b.plan;
  }

  private Map<String, String> taskConfig() {
    Map<String, String> c = new LinkedHashMap<>(b.args.toMap());
    c.putAll(b.strategy.trainConfig());
    if (b.privacy != null) {
      c.putAll(new RoundPrivacy(b.privacy).taskConfig(b.minNodes));
    }
    c.put(TaskKeys.DATASET_TAGS, String.join(",", b.datasetTags));
    c.put(TaskKeys.VALIDATION_FRACTION, Double.toString(b.validationFraction));
    c.putAll(b.extraConfig);
    return c;
  }

  /** Settings of an experiment, validated by {@link #build()}. Not thread-safe. */
  public static final class Builder {
    Endpoint superlink;
    Path rootCertificates;
    boolean insecure;
    final List<ClientInterceptor> interceptors = new ArrayList<>();
    String plan = "logistic-regression";
    Path planJar;
    List<String> datasetTags = List.of();
    int rounds = 10;
    Strategy strategy = new FedAvg();
    int minNodes = 1;
    TrainingArgs args = TrainingArgs.defaults();
    Parameters initialModel;
    Path outputDir;
    double validationFraction = 0.2;
    Duration roundTimeout = Duration.ofMinutes(10);
    Duration nodeWaitTimeout = Duration.ofSeconds(60);
    Duration reconnectTimeout = Duration.ofMinutes(2);
    ExperimentListener listener = new ExperimentListener() {};
    final Map<String, String> extraConfig = new LinkedHashMap<>();
    SecureAggregation secureAggregation;
    String resumeRunId;
    double fraction = 1;
    DifferentialPrivacy privacy;
    Boolean continueAfterLostRounds;
    final Map<String, String> settings = new TreeMap<>();

    private Builder() {}

    /**
     * A setting that decides the results without reaching the nodes (a simulation's partitioning or
     * dropout rate, say): recorded in the checkpoint beside the experiment's own, so that a resume
     * with another value is refused naming it. Use a prefix of your own ({@code simulation.}).
     */
    public Builder setting(String key, String value) {
      settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * What a round that fails because nodes went away does (a LOM or Joye-Libert round a node
     * dropped out of, a SecAgg+ round left below its threshold, a plain round below its minimum):
     * false fails the run with the round's message; true records the round with no update and the
     * lost nodes, keeps the model as it was, and goes on with the next round, as {@code fedlink
     * simulate} does. The default is true with LOM and SecAgg+ (they cannot finish a round some
     * nodes left, but the next round goes on without them: {@link
     * SecureAggregation#continuesAfterLostRounds}) and false otherwise. A round that fails for
     * another reason (a refusal, a broken task, a failed check) fails the run either way.
     */
    public Builder continueAfterLostRounds(boolean continueAfterLostRounds) {
      this.continueAfterLostRounds = continueAfterLostRounds;
      return this;
    }

    boolean continuesAfterLostRounds() {
      return continueAfterLostRounds != null
          ? continueAfterLostRounds
          : secureAggregation != null && secureAggregation.continuesAfterLostRounds();
    }

    /** The secure aggregation set with {@link #secureAggregation(SecureAggregation)}, or null. */
    public SecureAggregation secureAggregation() {
      return secureAggregation;
    }

    /**
     * Continues run {@code runId} from the checkpoint in the {@link #outputDir(Path) output folder}
     * instead of starting a new run: at the round after the last one the checkpoint holds, on the
     * same SuperLink run. The settings must equal the checkpoint's (a difference is refused, naming
     * the setting); the run must not have been stopped on the SuperLink. Null (the default) starts
     * a new run.
     */
    public Builder resume(String runId) {
      this.resumeRunId = runId;
      return this;
    }

    /**
     * Trains with secure aggregation: nodes send encrypted updates and only their weighted mean is
     * decrypted. Null (the default) trains in plain. Needs a FedAvg-family strategy.
     */
    public Builder secureAggregation(SecureAggregation secureAggregation) {
      this.secureAggregation = secureAggregation;
      return this;
    }

    /**
     * The share of the online nodes that train each round, in (0, 1] (default 1: all); at least
     * {@link #minNodes(int)} are drawn, and evaluated after aggregation. The draw depends only on
     * the online nodes, the training seed and the round.
     */
    public Builder fraction(double fraction) {
      this.fraction = fraction;
      return this;
    }

    /** Differential privacy with an accountant; null (the default) for none. */
    public Builder differentialPrivacy(DifferentialPrivacy dp) {
      this.privacy = dp;
      return this;
    }

    public Builder superlink(Endpoint superlink) {
      this.superlink = Objects.requireNonNull(superlink, "superlink");
      return this;
    }

    public Builder rootCertificates(Path caFile) {
      this.rootCertificates = caFile;
      return this;
    }

    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    public Builder interceptor(ClientInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** The training plan, e.g. {@code logistic-regression} or {@code mlp}. */
    public Builder plan(String plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /**
     * A researcher's training-plan JAR instead of a built-in plan: it is sent to every node at the
     * start of the run, and each node runs it only if its policy allows (approval by hash when the
     * node requires it). Null (the default) uses {@link #plan(String)}.
     */
    public Builder planJar(Path jar) {
      this.planJar = jar;
      return this;
    }

    /** Tags that select each node's dataset. */
    public Builder datasetTags(List<String> tags) {
      this.datasetTags = List.copyOf(tags);
      return this;
    }

    public Builder rounds(int rounds) {
      this.rounds = rounds;
      return this;
    }

    public Builder strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** Fewest nodes a round may complete with. */
    public Builder minNodes(int minNodes) {
      this.minNodes = minNodes;
      return this;
    }

    public Builder trainingArgs(TrainingArgs args) {
      this.args = Objects.requireNonNull(args, "args");
      return this;
    }

    /** Start from these weights instead of initializing from the nodes' data statistics. */
    public Builder initialModel(Parameters model) {
      this.initialModel = model;
      return this;
    }

    /**
     * Where to write metrics.csv, metrics.png, model.flp and the checkpoint of each round
     * (checkpoint/checkpoint.flc); none if null.
     */
    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    public Builder validationFraction(double fraction) {
      this.validationFraction = fraction;
      return this;
    }

    public Builder roundTimeout(Duration timeout) {
      this.roundTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder nodeWaitTimeout(Duration timeout) {
      this.nodeWaitTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder reconnectTimeout(Duration timeout) {
      this.reconnectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder listener(ExperimentListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Extra task config entries, for extensions. */
    public Builder config(String key, String value) {
      extraConfig.put(key, value);
      return this;
    }

    /**
     * Validates the settings.
     *
     * @throws FedlinkException naming the bad setting and what is allowed
     */
    public Experiment build() {
      if (superlink == null) {
        throw bad("the SuperLink address is required (--superlink HOST:PORT)");
      }
      if (insecure == (rootCertificates != null)) {
        throw bad(
            insecure
                ? "--insecure and --root-certificates exclude each other"
                : "--root-certificates CA_FILE is required to verify the SuperLink (or --insecure"
                    + " for local development only)");
      }
      if (datasetTags.isEmpty()) {
        throw bad("dataset tags are required (--tags T1,T2): they select each node's dataset");
      }
      if (rounds < 1) {
        throw bad("rounds " + rounds + " must be at least 1");
      }
      if (minNodes < 1) {
        throw bad("minimum nodes " + minNodes + " must be at least 1");
      }
      if (!(validationFraction > 0 && validationFraction < 1)) {
        throw bad("validation fraction " + validationFraction + " must be in (0, 1)");
      }
      if (!(fraction > 0 && fraction <= 1)) {
        throw bad("--fraction " + fraction + " must be in (0, 1]: the share of nodes per round");
      }
      if (secureAggregation != null) {
        secureAggregation.validate();
        if (strategy.needsIndividualUpdates() || !(strategy instanceof AveragingStrategy)) {
          throw bad(
              "secure aggregation decrypts only the sum of the updates, but strategy "
                  + strategy.name()
                  + " must see each update; use it without --secagg, or use fedavg, fedprox,"
                  + " fedavgm, fedadagrad, fedadam, fedyogi or scaffold");
        }
      }
      if (strategy instanceof RobustAggregator r && minNodes < r.minimumNodes()) {
        throw bad(
            "strategy "
                + strategy.name()
                + " needs at least "
                + r.minimumNodes()
                + " updates per round; set --min-nodes "
                + r.minimumNodes()
                + " (now "
                + minNodes
                + ")");
      }
      if (privacy != null) {
        if (!(strategy instanceof AveragingStrategy) || strategy.needsIndividualUpdates()) {
          throw bad(
              "differential privacy is accounted for a noisy mean of the updates; strategy "
                  + strategy.name()
                  + " does not average them: use it without --dp");
        }
        if (privacy.mode() == DifferentialPrivacy.Mode.CENTRAL && secureAggregation != null) {
          throw bad(
              "--dp central clips each update at the researcher, who sees only their sum under"
                  + " secure aggregation; use --dp local with --secagg");
        }
        if (privacy.mode() == DifferentialPrivacy.Mode.LOCAL && secureAggregation == null) {
          log.warn(
              "--dp local without secure aggregation: the researcher sees each node's update with"
                  + " only its share of the noise (sigma/sqrt(min-nodes)); the epsilon printed"
                  + " holds for the aggregate. Add --secagg for the guarantee to cover what the"
                  + " researcher sees.");
        }
        if (privacy.adaptiveClip()) {
          privacy.updateNoise(DifferentialPrivacy.countNoise(minNodes)); // refuses if impossible
        }
        double oneRound = new RoundPrivacy(privacy).epsilonAfterNext(fraction);
        if (oneRound > privacy.epsilonBudget()) {
          throw new FedlinkException(
              ErrorCode.PRIVACY_BUDGET_EXHAUSTED,
              String.format(
                  java.util.Locale.ROOT,
                  "--dp-epsilon-budget %s is below the epsilon of a single round (%.4f with"
                      + " --dp-noise-multiplier %s, --fraction %s, --dp-delta %s): raise the"
                      + " budget or the noise multiplier, or lower --fraction",
                  privacy.epsilonBudget(),
                  oneRound,
                  privacy.noiseMultiplier(),
                  fraction,
                  privacy.delta()));
        }
      }
      if (resumeRunId != null && outputDir == null) {
        throw bad(
            "resuming run "
                + resumeRunId
                + " needs its output folder (--output DIR): the checkpoint is in DIR/"
                + CheckpointFile.FOLDER);
      }
      if (resumeRunId != null && initialModel != null) {
        throw bad(
            "an initial model cannot be given when resuming run "
                + resumeRunId
                + ": it continues from the model of its checkpoint");
      }
      if (planJar != null && !java.nio.file.Files.isRegularFile(planJar)) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND,
            "training plan JAR " + planJar + " does not exist; check the path");
      }
      if (initialModel == null && planJar == null) {
        String id = plan.startsWith("builtin:") ? plan.substring(8) : plan;
        BuiltinPlans.get(id);
      }
      return new Experiment(this);
    }

    private static FedlinkException bad(String message) {
      return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }

  /** Node ids among {@code nodes} that are online. */
  static List<Long> online(List<Node> nodes) {
    List<Long> out = new ArrayList<>();
    for (Node n : nodes) {
      if (n.getOnline()) {
        out.add(n.getNodeId());
      }
    }
    return out;
  }
}
