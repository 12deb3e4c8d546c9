package org.fedlink.supernode.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.Tensor;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.Splits;
import org.fedlink.ml.TrainTestSplit;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.datasets.DatasetRegistry;
import org.fedlink.supernode.plans.PlanResolver;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRunnerTest {
  private static final long NODE = 42;
  private static final int ROWS = 50;

  @TempDir Path home;
  private SqliteDatabase db;
  private DatasetRegistry datasets;
  private Dataset data;
  private final MemoryBlobs blobs = new MemoryBlobs();

  /** Blobs in a map, as the SuperLink would keep them. */
  private static final class MemoryBlobs implements TaskRunner.Blobs {
    final Map<String, byte[]> stored = new HashMap<>();

    @Override
    public byte[] download(String blobId) {
      byte[] b = stored.get(blobId);
      if (b == null) {
        throw new FedlinkException(ErrorCode.NOT_FOUND, "blob " + blobId + " does not exist");
      }
      return b.clone();
    }

    @Override
    public String upload(byte[] bytes) {
      String id = UUID.randomUUID().toString();
      stored.put(id, bytes.clone());
      return id;
    }
  }

  @BeforeEach
  void registerDataset() throws IOException {
    Random rnd = new Random(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      int label = i % 2;
      for (int j = 0; j < 3; j++) {
        sb.append(String.format(Locale.ROOT, "%.4f,", label * 2 - 1 + rnd.nextGaussian() * 0.5));
      }
      sb.append(label).append('\n');
    }
    Path file = home.resolve("site.csv");
    Files.writeString(file, sb);
    db = NodeDatabase.open(home);
    datasets = new DatasetRegistry(db);
    datasets.add("site", List.of("demo", "train"), file, "csv");
    data = datasets.select(List.of("demo"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private TaskRunner runner() {
    return new TaskRunner(datasets, PlanResolver.builtin(), List.of());
  }

  private Parameters initialModel() {
    return BuiltinPlans.get("logistic-regression")
        .initialize(DataSummary.of(data), TrainingArgs.defaults());
  }

  private static Task.Builder task(String kind) {
    return Task.newBuilder()
        .setTaskId("task-1")
        .setRunId("run-1")
        .setNodeId(NODE)
        .setRound(3)
        .setKind(kind)
        .setPlan("builtin:logistic-regression")
        .putConfig(TaskKeys.DATASET_TAGS, "demo, train")
        .setCreatedMs(1000);
  }

  private Task.Builder withModel(Task.Builder t, Parameters model) {
    return t.setModelBlobId(blobs.upload(ParametersCodec.encode(model)));
  }

  private TrainTestSplit split() {
    return Splits.trainTest(data, 0.2, 42);
  }

  private static void assertOk(TaskResult r) {
    assertThat(r.getStatus().getCode()).as(r.getStatus().getMessage()).isZero();
    assertThat(r.getStatus().getMessage()).isEmpty();
  }

  private static void assertError(TaskResult r, ErrorCode code, String message) {
    assertThat(r.getStatus().getCode()).isEqualTo(code.code());
    assertThat(r.getStatus().getMessage()).startsWith("node " + NODE + ": ").contains(message);
  }

  @Test
  void describeUploadsTheSummaryOfTheTrainingSplit() {
    TaskResult r = runner().run(NODE, task(TaskKeys.KIND_DESCRIBE).build(), blobs);

    assertOk(r);
    assertThat(r.getTaskId()).isEqualTo("task-1");
    assertThat(r.getRunId()).isEqualTo("run-1");
    assertThat(r.getNodeId()).isEqualTo(NODE);
    assertThat(r.getRound()).isEqualTo(3);
    assertThat(r.getKind()).isEqualTo(TaskKeys.KIND_DESCRIBE);
    Dataset train = split().train();
    assertThat(r.getNumExamples()).isEqualTo(train.rows()).isEqualTo(40);
    Parameters summary = ParametersCodec.decode(blobs.download(r.getBlobId()));
    assertThat(summary).isEqualTo(DataSummary.of(train).toParameters());
  }

  @Test
  void trainUploadsAnUpdateWithTheModelsLayout() {
    Parameters global = initialModel();
    Task t = withModel(task(TaskKeys.KIND_TRAIN), global).putConfig("epochs", "2").build();

    TaskResult r = runner().run(NODE, t, blobs);

    assertOk(r);
    assertThat(r.getKind()).isEqualTo(TaskKeys.KIND_TRAIN);
    assertThat(r.getNumExamples()).isEqualTo(40);
    assertThat(r.getMetricsMap()).containsKey("train_loss");
    assertThat(r.getBlobId()).isNotEqualTo(t.getModelBlobId());
    Parameters update = ParametersCodec.decode(blobs.download(r.getBlobId()));
    global.requireSameLayout(update, "update");
    assertThat(update).isNotEqualTo(global);
  }

  @Test
  void trainUsesTheTaskConfigAndIsDeterministic() {
    Parameters global = initialModel();
    Task t = withModel(task(TaskKeys.KIND_TRAIN), global).build();

    TaskResult a = runner().run(NODE, t, blobs);
    TaskResult b = runner().run(NODE, t, blobs);

    assertThat(blobs.download(a.getBlobId())).isEqualTo(blobs.download(b.getBlobId()));
  }

  @Test
  void evaluateReportsMetricsOnTheValidationSplit() {
    Task t = withModel(task(TaskKeys.KIND_EVALUATE), initialModel()).build();

    TaskResult r = runner().run(NODE, t, blobs);

    assertOk(r);
    assertThat(r.getNumExamples()).isEqualTo(split().test().rows()).isEqualTo(10);
    assertThat(r.getMetricsMap()).containsOnlyKeys(Metrics.LOSS, Metrics.ACCURACY);
    assertThat(r.getMetricsMap().get(Metrics.ACCURACY)).isBetween(0.0, 1.0);
    assertThat(r.getMetricsMap().get(Metrics.LOSS)).isPositive();
    assertThat(r.getBlobId()).isEmpty();
  }

  @Test
  void unknownKindIsAnErrorResult() {
    TaskResult r = runner().run(NODE, task("predict").build(), blobs);

    assertError(
        r,
        ErrorCode.INVALID_ARGUMENT,
        "unknown task kind 'predict'; this node runs describe, train, evaluate");
    assertThat(r.getKind()).isEqualTo("predict");
    assertThat(r.getTaskId()).isEqualTo("task-1");
  }

  @Test
  void missingDatasetIsAnErrorResult() {
    Task t = task(TaskKeys.KIND_DESCRIBE).putConfig(TaskKeys.DATASET_TAGS, "mnist").build();

    TaskResult r = runner().run(NODE, t, blobs);

    assertError(r, ErrorCode.NO_MATCHING_DATASET, "no dataset with tags [mnist]");
  }

  @Test
  void taskWithoutDatasetTagsIsAnErrorResult() {
    Task t = task(TaskKeys.KIND_DESCRIBE).removeConfig(TaskKeys.DATASET_TAGS).build();

    assertError(
        runner().run(NODE, t, blobs), ErrorCode.INVALID_ARGUMENT, "task names no dataset tags");
  }

  @Test
  void datasetFileGoneIsAnErrorResult() throws IOException {
    Files.delete(home.resolve("site.csv"));

    TaskResult r = runner().run(NODE, task(TaskKeys.KIND_DESCRIBE).build(), blobs);

    assertError(r, ErrorCode.NOT_FOUND, "is gone");
    assertThat(r.getStatus().getMessage()).doesNotContain(home.toString());
  }

  @Test
  void aBadCellIsNamedByDatasetLineAndColumnWithoutItsValueOrThePath() throws IOException {
    Path file = home.resolve("site.csv");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
    lines.set(6, "0.5,SSN-123-45-6789,0.25,1");
    Files.write(file, lines);
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

    TaskResult r = runner().run(NODE, task(TaskKeys.KIND_DESCRIBE).build(), blobs);

    assertError(
        r,
        ErrorCode.INVALID_ARGUMENT,
        "dataset 'site': line 7, column 2: a feature is not a number");
    assertThat(r.getStatus().getMessage()).doesNotContain("SSN").doesNotContain(home.toString());
  }

  @Test
  void corruptModelBlobIsAnErrorResult() {
    Task t =
        task(TaskKeys.KIND_TRAIN).setModelBlobId(blobs.upload(new byte[] {1, 2, 3, 4, 5})).build();

    TaskResult r = runner().run(NODE, t, blobs);

    assertError(r, ErrorCode.INVALID_ARGUMENT, "not a Fedlink parameters file");
    assertThat(r.getBlobId()).isEmpty();
  }

  @Test
  void truncatedModelBlobIsAnErrorResult() {
    byte[] model = ParametersCodec.encode(initialModel());
    byte[] truncated = java.util.Arrays.copyOf(model, model.length - 3);
    Task t = task(TaskKeys.KIND_EVALUATE).setModelBlobId(blobs.upload(truncated)).build();

    assertError(runner().run(NODE, t, blobs), ErrorCode.INVALID_ARGUMENT, "truncated");
  }

  @Test
  void missingModelIsAnErrorResult() {
    assertError(
        runner().run(NODE, task(TaskKeys.KIND_TRAIN).build(), blobs),
        ErrorCode.INVALID_ARGUMENT,
        "task carries no model");
    Task unknownBlob =
        task(TaskKeys.KIND_TRAIN).setModelBlobId(UUID.randomUUID().toString()).build();
    assertError(runner().run(NODE, unknownBlob, blobs), ErrorCode.NOT_FOUND, "does not exist");
  }

  @Test
  void modelOfAnotherShapeIsAnErrorResult() {
    Parameters wrong = Parameters.of(Tensor.zeros("weights", 7, 2));
    Task t = withModel(task(TaskKeys.KIND_TRAIN), wrong).build();

    TaskResult r = runner().run(NODE, t, blobs);

    assertThat(r.getStatus().getCode()).isNotZero();
    assertThat(r.getStatus().getMessage()).startsWith("node " + NODE + ": ");
  }

  @Test
  void unknownPlanIsAnErrorResult() {
    Task t = task(TaskKeys.KIND_DESCRIBE).setPlan("builtin:random-forest").build();

    assertError(
        runner().run(NODE, t, blobs),
        ErrorCode.INVALID_ARGUMENT,
        "unknown built-in training plan 'random-forest'");
  }

  @Test
  void badSplitConfigIsAnErrorResult() {
    Task fraction =
        task(TaskKeys.KIND_DESCRIBE).putConfig(TaskKeys.VALIDATION_FRACTION, "1.5").build();
    Task notANumber = task(TaskKeys.KIND_DESCRIBE).putConfig(TaskKeys.SPLIT_SEED, "abc").build();

    assertError(
        runner().run(NODE, fraction, blobs),
        ErrorCode.INVALID_ARGUMENT,
        "validation_fraction 1.5 must be in (0, 1)");
    assertError(
        runner().run(NODE, notANumber, blobs),
        ErrorCode.INVALID_ARGUMENT,
        "split_seed 'abc' is not a number");
  }

  @Test
  void badTrainingArgumentIsAnErrorResult() {
    Task t = withModel(task(TaskKeys.KIND_TRAIN), initialModel()).putConfig("epochs", "0").build();

    assertError(
        runner().run(NODE, t, blobs),
        ErrorCode.INVALID_ARGUMENT,
        "training argument epochs = 0 is invalid");
  }

  @Test
  void planThrowingRuntimeExceptionBecomesTaskFailedNamingTheNode() {
    TrainingPlan exploding = new ExplodingPlan(new IllegalStateException("weights exploded"));
    TaskRunner runner = new TaskRunner(datasets, name -> exploding, List.of());
    Task t = withModel(task(TaskKeys.KIND_TRAIN), initialModel()).build();

    TaskResult r = runner.run(NODE, t, blobs);

    assertThat(r.getStatus().getCode()).isEqualTo(ErrorCode.TASK_FAILED.code());
    assertThat(r.getStatus().getMessage())
        .isEqualTo("node 42: task failed: IllegalStateException: weights exploded");
    assertThat(r.getBlobId()).isEmpty();
  }

  @Test
  void fullDiskIsResourceExhaustedWithTheFreeSpaceButNotThePath() {
    Path plans = home.resolve("plans/p.jar");
    RuntimeException full =
        new java.io.UncheckedIOException(
            new java.nio.file.FileSystemException(
                plans.toString(), null, "No space left on device"));
    TaskRunner runner = new TaskRunner(datasets, name -> new ExplodingPlan(full), List.of());
    Task t = withModel(task(TaskKeys.KIND_TRAIN), initialModel()).build();

    TaskResult r = runner.run(NODE, t, blobs);

    assertThat(r.getStatus().getCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED.code());
    assertThat(r.getStatus().getMessage())
        .startsWith("node 42: disk full on the node (")
        .contains(" free); its admin must free space")
        .doesNotContain(home.toString());
  }

  @Test
  void exceptionWithoutMessageIsReportedByItsClassOnly() {
    TaskRunner runner =
        new TaskRunner(datasets, name -> new ExplodingPlan(new NullPointerException()), List.of());
    Task t = withModel(task(TaskKeys.KIND_EVALUATE), initialModel()).build();

    TaskResult r = runner.run(NODE, t, blobs);

    assertThat(r.getStatus().getCode()).isEqualTo(ErrorCode.TASK_FAILED.code());
    assertThat(r.getStatus().getMessage()).isEqualTo("node 42: task failed: NullPointerException");
  }

  @Test
  void failingUploadIsAnErrorResult() {
    TaskRunner.Blobs broken =
        new TaskRunner.Blobs() {
          @Override
          public byte[] download(String blobId) {
            return blobs.download(blobId);
          }

          @Override
          public String upload(byte[] bytes) {
            throw new FedlinkException(ErrorCode.UNAVAILABLE, "superlink went away");
          }
        };

    TaskResult r = runner().run(NODE, task(TaskKeys.KIND_DESCRIBE).build(), broken);

    assertError(r, ErrorCode.UNAVAILABLE, "superlink went away");
  }

  @Test
  void policyRefusalStopsTheTaskBeforeAnyWork() {
    AtomicInteger resolved = new AtomicInteger();
    PlanResolver counting =
        name -> {
          resolved.incrementAndGet();
          return PlanResolver.builtin().resolve(name);
        };
    TaskPolicy refuse =
        (node, task) -> {
          throw new FedlinkException(
              ErrorCode.REFUSED, "secure aggregation required by node " + node);
        };
    TaskRunner runner = new TaskRunner(datasets, counting, List.of(refuse));
    Task t = withModel(task(TaskKeys.KIND_TRAIN), initialModel()).build();
    int storedBefore = blobs.stored.size();

    TaskResult r = runner.run(NODE, t, blobs);

    assertError(r, ErrorCode.REFUSED, "secure aggregation required by node 42");
    assertThat(resolved).hasValue(0);
    assertThat(blobs.stored).hasSize(storedBefore);
  }

  @Test
  void policiesThatAcceptLetTheTaskRun() {
    AtomicInteger checked = new AtomicInteger();
    TaskPolicy accept = (node, task) -> checked.incrementAndGet();
    TaskRunner runner = new TaskRunner(datasets, PlanResolver.builtin(), List.of(accept, accept));

    assertOk(runner.run(NODE, task(TaskKeys.KIND_DESCRIBE).build(), blobs));
    assertThat(checked).hasValue(2);
  }

  /** A plan whose every method throws the given exception. */
  private static final class ExplodingPlan implements TrainingPlan {
    private final RuntimeException failure;

    ExplodingPlan(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public String id() {
      return "exploding";
    }

    @Override
    public Parameters initialize(DataSummary summary, TrainingArgs args) {
      throw failure;
    }

    @Override
    public LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
      throw failure;
    }

    @Override
    public Metrics evaluate(Parameters parameters, Dataset data) {
      throw failure;
    }
  }
}
