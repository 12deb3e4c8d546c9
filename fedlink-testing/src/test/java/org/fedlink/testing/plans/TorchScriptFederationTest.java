package org.fedlink.testing.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.djl.TorchScriptJar;
import org.fedlink.ml.BundledDatasets;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.plan.JarTrainingPlanLoader;
import org.fedlink.ml.plan.LoadedTrainingPlan;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript models made with Python torch (fixtures of fedlink-djl), sent as plan JARs and run by
 * DJL in sandboxed plan workers, end to end over loopback TLS.
 */
class TorchScriptFederationTest {
  private static final Path FIXTURES = Path.of("../fedlink-djl/src/test/resources/torchscript");

  @TempDir Path dir;
  TestFederation federation;

  private void start(int nodes) throws InterruptedException {
    federation =
        TestFederation.builder(dir)
            .nodes(nodes)
            .dataset(BundledDatasets.DIGITS)
            .nodeSettings(
                (i, node) ->
                    node.planPolicy(new PlanPolicy(true, false, HashingAlgorithm.SHA256))
                        .planIsolation(
                            PlanIsolation.of(
                                PlanIsolation.Level.SANDBOX, 512, Duration.ofSeconds(120))))
            .start();
    federation.awaitOnline(nodes, Duration.ofSeconds(30));
  }

  @AfterEach
  void stopFederation() {
    if (federation != null) {
      federation.close();
    }
  }

  private Path jar(String model, String shape) {
    Path jar = dir.resolve(model + ".jar");
    TorchScriptJar.write(FIXTURES.resolve(model), "cross-entropy", shape, jar);
    return jar;
  }

  @Test
  void aTorchScriptModelCannotReadTheNodesFilesFromItsWorker() throws Exception {
    assertThat(Files.readString(Path.of("/etc/hostname"))).isNotEmpty();
    start(1);
    Path jar = jar("reads_file.pt", null);
    assertThatThrownBy(
            () ->
                federation
                    .experiment()
                    .planJar(jar)
                    .rounds(1)
                    .trainingArgs(TrainingArgs.defaults())
                    .build()
                    .run())
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining("PyTorch failed: RuntimeError: unable to open file </etc/hostname>")
        .hasMessageContaining("No such file or directory");
  }

  @Test
  @Tag("djl")
  void threeNodesFineTuneATorchScriptCnnOnDigits() throws Exception {
    start(3);
    Path jar = jar("digits_cnn.pt", "1,8,8");
    ExperimentResult result =
        federation
            .experiment()
            .planJar(jar)
            .rounds(8)
            .trainingArgs(new TrainingArgs(2, 32, 0.05, "sgd", 0.9, 0.0, 42L, new int[0]))
            .build()
            .run();
    try (LoadedTrainingPlan plan = JarTrainingPlanLoader.open(jar)) {
      Metrics test = plan.plan().evaluate(result.model(), federation.testData());
      assertThat(test.accuracy()).isGreaterThan(0.9);
    }
  }
}
