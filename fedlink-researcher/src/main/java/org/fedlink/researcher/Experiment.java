package org.fedlink.researcher;

import io.grpc.ClientInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.output.ExperimentOutputs;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.researcher.secagg.SecureRounds;
import org.fedlink.researcher.secagg.SecureRunContext;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.NodeUpdate;
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
    String runId = UUID.randomUUID().toString();
    ExperimentOutputs outputs =
        b.outputDir == null ? null : new ExperimentOutputs(b.outputDir, runId);
    ExecutorService downloads =
        Executors.newFixedThreadPool(
            DOWNLOAD_THREADS,
            r -> {
              Thread t = new Thread(r, "experiment-download");
              t.setDaemon(true);
              return t;
            });
    SecureRounds secure = null; // secure aggregation; closed on every path
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
      control.createRun(runId, runConfig);
      log.info("run {} created", runId);
      RunDriver driver = new RunDriver(control, runId, b, taskConfig, planName);
      if (jar != null) {
        // Every node receives the JAR and checks it against its policy before any data is read.
        driver.phase(
            TaskKeys.KIND_PREPARE_PLAN, 0, control.upload(jar.bytes()), "send training plan");
      }
      Parameters global = b.initialModel;
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
      List<RoundMetrics> history = new ArrayList<>();
      secure = secureRounds(control, runId, driver);
      for (int round = 1; round <= b.rounds; round++) {
        long start = System.nanoTime();
        String modelBlob = control.upload(ParametersCodec.encode(global));
        String phase = "round " + round + "/" + b.rounds;
        SecureRounds.Outcome secured =
            secure == null ? null : secure.train(round, global, modelBlob, phase + " train");
        List<TaskResult> trained =
            secured != null
                ? secured.results()
                : driver.phase(TaskKeys.KIND_TRAIN, round, modelBlob, phase + " train");
        List<Parameters> models =
            secured != null ? List.of() : downloadAll(control, trained, downloads);
        List<NodeUpdate> updates = new ArrayList<>();
        double trainLoss = 0;
        long examples = 0;
        for (int i = 0; i < trained.size(); i++) {
          TaskResult r = trained.get(i);
          if (secured == null) {
            updates.add(new NodeUpdate(r.getNodeId(), models.get(i), r.getNumExamples()));
          }
          trainLoss += r.getMetricsOrDefault("train_loss", Double.NaN) * r.getNumExamples();
          examples += r.getNumExamples();
        }
        global = secured != null ? secured.global() : b.strategy.aggregate(global, updates);
        String newBlob = control.upload(ParametersCodec.encode(global));
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
                driver.takeDropped());
        history.add(m);
        if (outputs != null) {
          outputs.appendRound(m);
        }
        b.listener.roundFinished(m);
      }
      if (outputs != null) {
        outputs.finish(global, history);
      }
      control.stopRun(runId);
      return new ExperimentResult(runId, global, history, b.outputDir);
    } catch (RuntimeException | Error e) {
      stopAfterFailure(runId);
      throw e;
    } finally {
      if (secure != null) {
        secure.close();
      }
      if (outputs != null) {
        outputs.close();
      }
      downloads.shutdownNow();
    }
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

  /** Downloads and decodes the result blobs, several at a time, in the order of the results. */
  private static List<Parameters> downloadAll(
      ControlConnection control, List<TaskResult> results, ExecutorService pool) {
    List<CompletableFuture<Parameters>> futures = new ArrayList<>();
    for (TaskResult r : results) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> ParametersCodec.decode(control.download(r.getBlobId())), pool));
    }
    List<Parameters> out = new ArrayList<>();
    for (CompletableFuture<Parameters> f : futures) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
    }
    return out;
  }

  private SecureRounds secureRounds(ControlConnection control, String runId, RunDriver driver) {
    if (b.secureAggregation == null) {
      return null;
    }
    return new SecureRounds(
        b.secureAggregation,
        new SecureRunContext(
            control,
            runId,
            b.plan,
            taskConfig(),
            driver::selectNodes,
            b.listener,
            b.roundTimeout,
            b.rounds));
  }

  private String planId() {
    return b.plan.startsWith("builtin:") ? b.plan.substring(8) : b.plan;
  }

  private Map<String, String> taskConfig() {
    Map<String, String> c = new LinkedHashMap<>(b.args.toMap());
    c.putAll(b.strategy.trainConfig());
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

    private Builder() {}

    /**
     * Trains with secure aggregation: nodes send encrypted updates and only their weighted mean is
     * decrypted. Null (the default) trains in plain. Needs a FedAvg-family strategy.
     */
    public Builder secureAggregation(SecureAggregation secureAggregation) {
      this.secureAggregation = secureAggregation;
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

    /** Where to write metrics.csv, metrics.png and model.flp; none if null. */
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
      if (secureAggregation != null) {
        secureAggregation.validate();
        if (!(strategy instanceof FedAvg)) {
          throw bad(
              "secure aggregation decrypts only a weighted mean: strategy "
                  + strategy.name()
                  + " is not supported with it (use fedavg or fedprox)");
        }
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
