package org.fedlink.supernode.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.ControlVariates;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.LocalPrivacy;
import org.fedlink.ml.TrainingArgs;
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

/**
 * SCAFFOLD and local differential privacy in a node's train task, against a real node database: the
 * variate survives the database being closed and opened again (a node restart), and a redone round
 * starts from the same variate as its first attempt.
 */
class ScaffoldAndPrivacyTaskTest {
  @TempDir Path home;
  private SqliteDatabase db;
  private DatasetRegistry datasets;
  private final Map<String, byte[]> stored = new HashMap<>();
  private final TaskRunner.Blobs blobs =
      new TaskRunner.Blobs() {
        @Override
        public byte[] download(String id) {
          byte[] b = stored.get(id);
          if (b == null) {
            throw new FedlinkException(ErrorCode.NOT_FOUND, "no blob " + id);
          }
          return b;
        }

        @Override
        public String upload(byte[] data) {
          String id = UUID.randomUUID().toString();
          stored.put(id, data);
          return id;
        }
      };

  @BeforeEach
  void open() throws IOException {
    Random rnd = new Random(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) {
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
    datasets.add("site", List.of("demo"), file, "csv");
  }

  @AfterEach
  void close() {
    db.close();
  }

  private TaskRunner runner() {
    return new TaskRunner(
        datasets,
        PlanResolver.builtin(),
        List.of(),
        Map.of(),
        null,
        new ControlVariateStore(db, InstantSource.fixed(Instant.ofEpochMilli(5))));
  }

  private Parameters model() {
    return BuiltinPlans.get("logistic-regression")
        .initialize(DataSummary.of(datasets.select(List.of("demo"))), TrainingArgs.defaults());
  }

  private Task train(int round, Parameters global, Map<String, String> extra) {
    return Task.newBuilder()
        .setTaskId(UUID.randomUUID().toString())
        .setRunId("run-1")
        .setRound(round)
        .setKind(TaskKeys.KIND_TRAIN)
        .setPlan("builtin:logistic-regression")
        .putConfig(TaskKeys.DATASET_TAGS, "demo")
        .putConfig(TrainingArgs.LEARNING_RATE, "0.1")
        .putConfig(TrainingArgs.BATCH_SIZE, "8")
        .putConfig(TrainingArgs.MOMENTUM, "0.5")
        .putAllConfig(extra)
        .setModelBlobId(blobs.upload(ParametersCodec.encode(global)))
        .build();
  }

  private Parameters result(TaskResult r) {
    assertThat(r.getStatus().getMessage()).isEmpty();
    return ParametersCodec.decode(stored.get(r.getBlobId()));
  }

  @Test
  void scaffoldKeepsTheVariateAcrossARestartAndRedoesARoundFromTheSameOne() {
    Parameters x = model();
    Parameters global = ControlVariates.join(x, x.zerosLike());
    Map<String, String> cfg = Map.of(ControlVariates.CONFIG_KEY, "true");

    Parameters u1 = result(runner().run(7, train(1, global, cfg), blobs));
    assertThat(u1.tensors().size()).isEqualTo(global.tensors().size());
    // Round 1 from c = c_1 = 0: the variate sent is c + (c_1+ - 0) = (x - y) / (K lr).
    Parameters sent = ControlVariates.variates(u1);
    Parameters y = ControlVariates.model(u1);
    long steps = (32 + 7) / 8; // 40 rows, 20 % validation -> 32 training rows, batch 8, 1 epoch
    // Momentum 0.5: the effective rate is 0.1 / (1 - 0.5) = 0.2.
    Parameters expected = ControlVariates.next(x.zerosLike(), x.zerosLike(), x, y, steps, 0.2);
    assertThat(sent).isEqualTo(expected);

    // The node restarts: a new database connection on the same file.
    db.close();
    db = NodeDatabase.open(home);
    datasets = new DatasetRegistry(db);
    ControlVariateStore store = new ControlVariateStore(db, InstantSource.system());
    assertThat(store.before(7, "run-1", 2)).contains(expected);
    assertThat(store.before(7, "run-1", 1)).isEmpty();
    assertThat(store.before(7, "run-2", 2)).isEmpty();
    // Another node sharing the database (a simulation's virtual nodes) has its own variate.
    assertThat(store.before(8, "run-1", 2)).isEmpty();

    // Round 2 with a server variate: the node corrects by c - c_1 and sends c + (c_1+ - c_1).
    Parameters global2 = ControlVariates.join(y, expected);
    Parameters u2 = result(runner().run(7, train(2, global2, cfg), blobs));
    // Redoing round 2 (the researcher restarted) starts from the same stored variate: same result.
    Parameters again = result(runner().run(7, train(2, global2, cfg), blobs));
    assertThat(again).isEqualTo(u2);
  }

  @Test
  void scaffoldWithoutAStoreOrWithoutVariatesIsRefused() {
    Parameters x = model();
    TaskRunner plain = new TaskRunner(datasets, PlanResolver.builtin(), List.of());
    TaskResult r =
        plain.run(
            7,
            train(
                1,
                ControlVariates.join(x, x.zerosLike()),
                Map.of(ControlVariates.CONFIG_KEY, "true")),
            blobs);
    assertThat(r.getStatus().getMessage()).contains("keeps no SCAFFOLD control variates");
    TaskResult r2 = runner().run(7, train(1, x, Map.of(ControlVariates.CONFIG_KEY, "true")), blobs);
    assertThat(r2.getStatus().getMessage()).contains("carries no control variates");
  }

  @Test
  void scaffoldRefusesAdam() {
    Parameters x = model();
    TaskResult r =
        runner()
            .run(
                7,
                train(
                    1,
                    ControlVariates.join(x, x.zerosLike()),
                    Map.of(ControlVariates.CONFIG_KEY, "true", TrainingArgs.OPTIMIZER, "adam")),
                blobs);
    assertThat(r.getStatus().getMessage()).contains("use --optimizer sgd");
  }

  @Test
  void localPrivacyClipsTheUpdateAndHidesTheExampleCount() {
    Parameters x = model();
    Map<String, String> cfg =
        Map.of(LocalPrivacy.MODE, "local", LocalPrivacy.CLIP, "0.01", LocalPrivacy.STDDEV, "0");
    TaskResult r = runner().run(7, train(1, x, cfg), blobs);
    Parameters u = result(r);
    assertThat(r.getNumExamples()).isEqualTo(1);
    double sq = 0;
    for (int t = 0; t < x.tensors().size(); t++) {
      float[] a = x.tensors().get(t).data();
      float[] b = u.tensors().get(t).data();
      for (int i = 0; i < a.length; i++) {
        sq += (double) (b[i] - a[i]) * (b[i] - a[i]);
      }
    }
    assertThat(Math.sqrt(sq)).isLessThanOrEqualTo(0.01 + 1e-6).isGreaterThan(0.009);
  }
}
