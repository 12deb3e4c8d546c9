package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.ml.BuiltinPlans;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.researcher.strategies.FedProx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole experiments over loopback TLS with three in-process SuperNodes on non-IID data. */
class FederatedTrainingTest {
  @TempDir static Path dir;
  static TestFederation federation;

  @BeforeAll
  static void startFederation() throws InterruptedException {
    federation = TestFederation.builder(dir).nodes(3).start();
    federation.awaitOnline(3, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopFederation() {
    federation.close();
  }

  private static TrainingArgs args() {
    return TrainingArgs.defaults().withSeed(7);
  }

  @Test
  void trainsAcrossThreeNodesAndWritesOutputs() throws Exception {
    Path out = dir.resolve("run-1");
    ExperimentResult r =
        federation
            .experiment()
            .plan("logistic-regression")
            .rounds(5)
            .trainingArgs(args())
            .outputDir(out)
            .build()
            .run();

    assertThat(r.history()).hasSize(5);
    assertThat(r.history()).allSatisfy(m -> assertThat(m.nodes()).isEqualTo(3));
    assertThat(r.last().valAccuracy()).isGreaterThan(0.9);
    Metrics test =
        BuiltinPlans.get("logistic-regression").evaluate(r.model(), federation.testData());
    assertThat(test.accuracy()).isGreaterThan(0.9);

    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertThat(csv).hasSize(6);
    assertThat(csv.get(0)).startsWith("round,nodes,train_loss,val_loss,val_accuracy");
    byte[] png = Files.readAllBytes(out.resolve("metrics.png"));
    assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Parameters saved = ParametersCodec.read(out.resolve("model.flp"));
    assertThat(saved).isEqualTo(r.model());
  }

  @Test
  void savedModelIsAValidStartingPointForALaterRun() {
    Path out = dir.resolve("run-2");
    ExperimentResult first =
        federation.experiment().rounds(4).trainingArgs(args()).outputDir(out).build().run();
    ExperimentResult second =
        federation
            .experiment()
            .rounds(1)
            .trainingArgs(args())
            .initialModel(ParametersCodec.read(out.resolve("model.flp")))
            .build()
            .run();
    assertThat(second.history().get(0).valAccuracy())
        .isGreaterThanOrEqualTo(first.last().valAccuracy() - 0.03);
  }

  @Test
  void fedProxTrainsTheMlp() {
    ExperimentResult r =
        federation
            .experiment()
            .plan("mlp")
            .strategy(new FedProx(0.01))
            .rounds(4)
            .trainingArgs(args())
            .build()
            .run();
    assertThat(r.last().valAccuracy()).isGreaterThan(0.85);
    assertThat(r.model().contains("norm.mean")).isTrue();
  }

  @Test
  void aFailingTaskFailsTheRoundWithTheNodesReasonAndLeavesNodesAlive() {
    assertThatThrownBy(
            () ->
                federation.experiment().datasetTags(List.of("no-such-tag")).rounds(1).build().run())
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining("node " + federation.node(0).nodeId())
        .hasMessageContaining("no dataset with tags [no-such-tag]");

    ExperimentResult after = federation.experiment().rounds(1).trainingArgs(args()).build().run();
    assertThat(after.last().nodes()).isEqualTo(3);
  }
}
