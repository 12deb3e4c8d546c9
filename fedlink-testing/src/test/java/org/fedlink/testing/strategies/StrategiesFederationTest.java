package org.fedlink.testing.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.ml.ControlVariates;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.checkpoint.Checkpoint;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.fedlink.researcher.privacy.DifferentialPrivacy;
import org.fedlink.researcher.privacy.RoundPrivacy;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.researcher.strategies.CoordinateMedian;
import org.fedlink.researcher.strategies.Krum;
import org.fedlink.researcher.strategies.Scaffold;
import org.fedlink.researcher.strategies.ServerOptimizer;
import org.fedlink.supernode.secagg.SecureAggregationSettings;
import org.fedlink.testing.TestFederation;
import org.fedlink.testing.secagg.MpcTestParties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strategies, sampling and differential privacy in whole experiments over loopback TLS: a server
 * optimizer with sampled nodes and central DP that stops at its budget, and SCAFFOLD with local DP
 * under Joye-Libert secure aggregation, whose control variates travel encrypted with the updates.
 */
class StrategiesFederationTest {
  @TempDir static Path certs;
  @TempDir Path dir;
  static MpcTestParties parties;

  @BeforeAll
  static void generateCertificates() {
    parties = MpcTestParties.generate(certs, 3);
  }

  static SecureAggregation researcher() {
    try {
      return SecureAggregation.joyeLibert()
          .biprime(Biprime.defaultBiprime(1024))
          .identity(parties.identity(MpcTestParties.RESEARCHER))
          .parties(parties.directoryOf(MpcTestParties.RESEARCHER))
          .setupTimeout(Duration.ofSeconds(4));
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException(e);
    }
  }

  static SecureAggregationSettings node(int i) {
    String id = MpcTestParties.nodeComponent(i);
    return SecureAggregationSettings.builder()
        .identity(parties.identity(id))
        .parties(parties.directoryOf(id))
        .setupTimeout(Duration.ofSeconds(4))
        .maskParallelism(1)
        .build();
  }

  static TrainingArgs args() {
    return TrainingArgs.defaults().withSeed(7);
  }

  @Test
  void fedYogiOnSampledNodesWithCentralDpStopsAtItsBudget() throws Exception {
    try (TestFederation f = TestFederation.builder(dir).nodes(3).start()) {
      f.awaitOnline(3, Duration.ofSeconds(30));
      Path out = dir.resolve("out");
      List<String> lines = new ArrayList<>();
      DifferentialPrivacy dp =
          new DifferentialPrivacy(DifferentialPrivacy.Mode.CENTRAL, 1.0, 1.0, true, 1e-5, 9.0);
      ExperimentResult r =
          f.experiment()
              .rounds(10)
              .minNodes(2)
              .fraction(0.5)
              .strategy(ServerOptimizer.fedYogi(0.05, 0.9, 0.99, 1e-3))
              .differentialPrivacy(adaptiveNeedsMoreNodes(dp))
              .trainingArgs(args())
              .outputDir(out)
              .listener(
                  new ExperimentListener() {
                    @Override
                    public void info(String message) {
                      lines.add(message);
                    }
                  })
              .build()
              .run();
      // fraction 0.5 of 3 online, at least 2: two nodes train each round, so q = 2/3.
      assertThat(r.history()).allSatisfy(m -> assertThat(m.nodes()).isEqualTo(2));
      assertThat(r.history().size()).isBetween(1, 9);
      double[] eps = r.history().stream().mapToDouble(RoundMetrics::epsilon).toArray();
      for (int i = 1; i < eps.length; i++) {
        assertThat(eps[i]).isGreaterThan(eps[i - 1]);
      }
      assertThat(eps[eps.length - 1]).isLessThanOrEqualTo(9.0);
      assertThat(lines)
          .anyMatch(
              l ->
                  l.startsWith("privacy budget reached: round " + (eps.length + 1))
                      && l.contains("above --dp-epsilon-budget 9.0"));
      List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
      assertThat(csv.get(0)).endsWith(",dropped,epsilon");
      assertThat(csv).hasSize(eps.length + 1);
      Checkpoint c = CheckpointFile.read(out);
      assertThat(c.strategyState())
          .containsKeys(RoundPrivacy.STATE_ACCOUNTANT, RoundPrivacy.STATE_CLIP, "m.0", "v.0");
      assertThat(c.settings()).containsEntry("fraction", "0.5").containsEntry("dp", "central");
      assertThat(c.history().get(c.history().size() - 1).epsilon()).isEqualTo(eps[eps.length - 1]);
      // The accountant restored from the checkpoint gives the same epsilon (what a resume uses).
      RoundPrivacy restored = new RoundPrivacy(dp);
      restored.restore(c.strategyState());
      assertThat(restored.epsilon()).isEqualTo(eps[eps.length - 1]);
      assertThat(Files.readAllBytes(out.resolve("metrics.png"))).isNotEmpty();
    }
  }

  /** Adaptive clipping with 2 nodes would leave no noise for the update; the build says so. */
  private static DifferentialPrivacy adaptiveNeedsMoreNodes(DifferentialPrivacy adaptive) {
    assertThatThrownBy(
            () -> TestFederationless.builder().minNodes(2).differentialPrivacy(adaptive).build())
        .hasMessageContaining("leaves no noise for the update");
    return new DifferentialPrivacy(
        adaptive.mode(), 1.0, 1.0, false, adaptive.delta(), adaptive.epsilonBudget());
  }

  @Test
  void scaffoldWithLocalDpUnderSecureAggregationCarriesTheVariatesEncrypted() throws Exception {
    try (TestFederation f =
        TestFederation.builder(dir)
            .nodes(3)
            .nodeSettings((i, b) -> b.secureAggregation(node(i)))
            .start()) {
      f.awaitOnline(3, Duration.ofSeconds(30));
      Path out = dir.resolve("secure");
      ExperimentResult r =
          f.experiment()
              .rounds(2)
              .strategy(new Scaffold(1.0, 1.0))
              .differentialPrivacy(
                  new DifferentialPrivacy(
                      DifferentialPrivacy.Mode.LOCAL, 1.0, 1.0, false, 1e-5, 1000))
              .secureAggregation(researcher())
              .trainingArgs(args())
              .outputDir(out)
              .build()
              .run();
      assertThat(r.history()).hasSize(2);
      assertThat(r.history()).allSatisfy(m -> assertThat(m.nodes()).isEqualTo(3));
      // q = 1, sigma = 1: epsilon = T/2 + sqrt(2 T ln 1e5) on the accountant's grid.
      assertThat(r.history().get(0).epsilon()).isBetween(5.29, 5.31);
      assertThat(r.history().get(1).epsilon()).isBetween(7.78, 7.80);
      // The saved model is the model alone; the checkpoint's global carries the server variate,
      // which moved from zero: the nodes' variate changes were decrypted with their updates.
      assertThat(ControlVariates.present(r.model())).isFalse();
      Parameters global = CheckpointFile.read(out).model();
      Parameters c = ControlVariates.variates(global);
      double norm = 0;
      for (Tensor t : c.tensors()) {
        for (float v : t.data()) {
          norm += v * v;
        }
      }
      assertThat(norm).isGreaterThan(0);
    }
  }

  @Test
  void aResumedRunContinuesTheServerMomentsAndTheEpsilon() throws Exception {
    try (TestFederation f = TestFederation.builder(dir).nodes(2).start()) {
      f.awaitOnline(2, Duration.ofSeconds(30));
      Path out = dir.resolve("resumed");
      DifferentialPrivacy dp =
          new DifferentialPrivacy(
              DifferentialPrivacy.Mode.CENTRAL, 1.0, 1.0, false, 1e-5, Double.POSITIVE_INFINITY);
      // The researcher "crashes" after round 2 while the SuperLink is down, so its run stays open.
      ExperimentListener crash =
          new ExperimentListener() {
            @Override
            public void roundFinished(RoundMetrics m) {
              if (m.round() == 2) {
                f.stopSuperLink();
                throw new IllegalStateException("researcher crashed after round 2");
              }
            }
          };
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(4)
                      .strategy(ServerOptimizer.fedAdam(0.05, 0.9, 0.99, 1e-3))
                      .differentialPrivacy(dp)
                      .trainingArgs(args())
                      .outputDir(out)
                      .listener(crash)
                      .reconnectTimeout(Duration.ofSeconds(2))
                      .build()
                      .run())
          .hasMessageContaining("crashed after round 2");
      Checkpoint atTwo = CheckpointFile.read(out);
      assertThat(atTwo.round()).isEqualTo(2);
      assertThat(atTwo.strategyState()).containsEntry("steps", "2");
      f.startSuperLink();
      f.awaitOnline(2, Duration.ofSeconds(30));

      ExperimentResult r =
          f.experiment()
              .rounds(4)
              .strategy(ServerOptimizer.fedAdam(0.05, 0.9, 0.99, 1e-3))
              .differentialPrivacy(dp)
              .trainingArgs(args())
              .outputDir(out)
              .resume(atTwo.runId())
              .build()
              .run();
      assertThat(r.history()).hasSize(4);
      // Four rounds at q = 1, sigma = 1, as one accountant would count them without the crash.
      org.fedlink.researcher.privacy.RdpAccountant a =
          new org.fedlink.researcher.privacy.RdpAccountant();
      for (int round = 1; round <= 4; round++) {
        a.step(1.0, 1.0);
        assertThat(r.history().get(round - 1).epsilon()).isEqualTo(a.epsilon(1e-5));
      }
      Checkpoint done = CheckpointFile.read(out);
      assertThat(done.strategyState()).containsEntry("steps", "4"); // moments of all 4 rounds
      assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(5);
    }
  }

  @Test
  void robustAggregatorsAndCentralDpAreRefusedWithSecureAggregation() throws Exception {
    assertThatThrownBy(
            () ->
                TestFederationless.builder()
                    .strategy(new CoordinateMedian())
                    .secureAggregation(researcher())
                    .build())
        .hasMessageContaining("secure aggregation decrypts only the sum of the updates")
        .hasMessageContaining("strategy median must see each update");
    assertThatThrownBy(
            () ->
                TestFederationless.builder()
                    .minNodes(5)
                    .strategy(new Krum(1, 1))
                    .secureAggregation(researcher())
                    .build())
        .hasMessageContaining("strategy krum must see each update");
    assertThatThrownBy(
            () ->
                TestFederationless.builder()
                    .differentialPrivacy(
                        new DifferentialPrivacy(
                            DifferentialPrivacy.Mode.CENTRAL, 1, 1, false, 1e-5, 10))
                    .secureAggregation(researcher())
                    .build())
        .hasMessageContaining("use --dp local with --secagg");
    assertThatThrownBy(() -> TestFederationless.builder().strategy(new Krum(2, 1)).build())
        .hasMessageContaining(
            "strategy krum needs at least 7 updates per round; set --min-nodes 7");
    assertThatThrownBy(
            () ->
                TestFederationless.builder()
                    .minNodes(5)
                    .strategy(new Krum(1, 1))
                    .differentialPrivacy(
                        new DifferentialPrivacy(
                            DifferentialPrivacy.Mode.CENTRAL, 1, 1, false, 1e-5, 10))
                    .build())
        .hasMessageContaining("does not average them: use it without --dp");
    assertThatThrownBy(
            () ->
                TestFederationless.builder()
                    .differentialPrivacy(
                        new DifferentialPrivacy(
                            DifferentialPrivacy.Mode.CENTRAL, 1, 1, false, 1e-5, 5.0))
                    .build())
        .isInstanceOfSatisfying(
            org.fedlink.core.FedlinkException.class,
            e ->
                assertThat(e.code()).isEqualTo(org.fedlink.core.ErrorCode.PRIVACY_BUDGET_EXHAUSTED))
        .hasMessageContaining(
            "--dp-epsilon-budget 5.0 is below the epsilon of a single round (5.2985");
    assertThatThrownBy(() -> TestFederationless.builder().fraction(0).build())
        .hasMessageContaining("--fraction 0.0 must be in (0, 1]");
  }

  /** An experiment builder with everything but the choices under test; never run. */
  static final class TestFederationless {
    static org.fedlink.researcher.Experiment.Builder builder() {
      return org.fedlink.researcher.Experiment.builder()
          .superlink(org.fedlink.transport.Endpoint.parse("127.0.0.1:1"))
          .insecure(true)
          .datasetTags(List.of("t"));
    }
  }
}
