package org.fedlink.testing.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.supernode.secagg.SecureAggregationSettings;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LOM and SecAgg+ end to end: three in-process SuperNodes over TLS, each with its own MPC
 * certificate and registry (so every key is signed and checked), the scheme policy, a node lost
 * between LOM rounds and during a SecAgg+ round.
 */
class MaskedAggregationFederationTest {
  @TempDir static Path certs;
  @TempDir Path dir;
  static MpcTestParties parties;

  @BeforeAll
  static void generateCertificates() {
    parties = MpcTestParties.generate(certs, 3);
  }

  static SecureAggregationSettings.Builder node(int i) {
    String id = MpcTestParties.nodeComponent(i);
    return SecureAggregationSettings.builder()
        .identity(parties.identity(id))
        .parties(parties.directoryOf(id))
        .maskParallelism(1);
  }

  TestFederation federation(
      BiFunction<Integer, SecureAggregationSettings.Builder, SecureAggregationSettings.Builder>
          settings)
      throws InterruptedException {
    TestFederation f =
        TestFederation.builder(dir)
            .nodes(3)
            .nodeSettings((i, b) -> b.secureAggregation(settings.apply(i, node(i)).build()))
            .start();
    f.awaitOnline(3, Duration.ofSeconds(30));
    return f;
  }

  static TrainingArgs args() {
    return TrainingArgs.defaults().withSeed(7);
  }

  @Test
  void lomAndSecAggPlusRoundsEqualThePlainRoundWithinTheQuantizationBound() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      ExperimentResult plain = f.experiment().rounds(1).trainingArgs(args()).build().run();
      for (SecureAggregation s : List.of(SecureAggregation.lom(), SecureAggregation.secAggPlus())) {
        ExperimentResult secure =
            f.experiment().rounds(1).trainingArgs(args()).secureAggregation(s).build().run();
        // 16 value bits over [-3, 3]: at most 4.6e-5 per value, plus float rounding.
        assertThat(maxDifference(plain, secure)).as(s.scheme()).isLessThan(1e-4f);
        assertThat(secure.last().nodes()).isEqualTo(3);
      }
    }
  }

  @Test
  void lomGoesOnWithoutANodeLostBetweenRoundsWithoutANewSetup() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      List<String> info = new ArrayList<>();
      ExperimentResult r =
          f.experiment()
              .rounds(3)
              .minNodes(2)
              .trainingArgs(args())
              .secureAggregation(SecureAggregation.lom())
              .listener(
                  new ExperimentListener() {
                    @Override
                    public void info(String message) {
                      info.add(message);
                    }

                    @Override
                    public void roundFinished(RoundMetrics m) {
                      if (m.round() == 1) {
                        f.crashNode(2);
                        try {
                          awaitOffline(f, 1);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                          throw new AssertionError(e);
                        }
                      }
                    }
                  })
              .build()
              .run();
      assertThat(r.history()).extracting(RoundMetrics::nodes).containsExactly(3, 2, 2);
      assertThat(info.stream().filter(m -> m.startsWith("LOM keys agreed"))).hasSize(1);
      assertThat(r.last().valAccuracy()).isGreaterThan(0.85);
    }
  }

  @Test
  void lomFailsARoundANodeDropsOutOfNamingItAndTheNextRoundGoesOnWithoutANewSetup()
      throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      long dropped = f.node(1).nodeId();
      List<String> info = new CopyOnWriteArrayList<>();
      ExperimentListener crash = crashOn(f, "round 2/3 train", 1);
      ExperimentResult r =
          f.experiment()
              .rounds(3)
              .minNodes(2)
              .trainingArgs(args())
              .secureAggregation(SecureAggregation.lom())
              .listener(
                  new ExperimentListener() {
                    @Override
                    public void phaseStarted(String phase, int expectedResults) {
                      crash.phaseStarted(phase, expectedResults);
                    }

                    @Override
                    public void info(String message) {
                      info.add(message);
                    }
                  })
              .build()
              .run();
      assertThat(r.history()).extracting(RoundMetrics::nodes).containsExactly(3, 0, 2);
      assertThat(r.history().get(1).dropped()).anyMatch(m -> m.contains("node " + dropped));
      assertThat(info)
          .anyMatch(m -> m.contains("round 2/3 train failed") && m.contains("node " + dropped));
      assertThat(info.stream().filter(m -> m.startsWith("LOM keys agreed"))).hasSize(1);
      assertThat(r.last().valAccuracy()).isGreaterThan(0.85);
    }
  }

  @Test
  void aLostLomRoundFailsTheRunWhenAskedTo() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      long dropped = f.node(1).nodeId();
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(2)
                      .trainingArgs(args())
                      .secureAggregation(SecureAggregation.lom())
                      .continueAfterLostRounds(false)
                      .listener(crashOn(f, "round 2/2 train", 1))
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("round 2/2 train failed")
          .hasMessageContaining("node " + dropped);
    }
  }

  @Test
  void secAggPlusCompletesARoundANodeDropsOutOfAfterSharingKeys() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      long dropped = f.node(1).nodeId();
      ExperimentResult r =
          f.experiment()
              .rounds(3)
              .minNodes(2)
              .trainingArgs(args())
              .secureAggregation(SecureAggregation.secAggPlus())
              .listener(crashOn(f, "round 2/3 train (masked input)", 1))
              .build()
              .run();
      assertThat(r.history()).extracting(RoundMetrics::nodes).containsExactly(3, 2, 2);
      assertThat(r.history().get(1).dropped()).anyMatch(m -> m.contains("node " + dropped));
      assertThat(r.last().valAccuracy()).isGreaterThan(0.85);
    }
  }

  @Test
  void schemesOutsideANodesListAndUnsafeParametersAreRefused() throws Exception {
    try (TestFederation f =
        federation((i, b) -> i == 2 ? b.schemes(Set.of("joye-libert", "secagg+")) : b)) {
      long picky = f.node(2).nodeId();
      assertThatThrownBy(
              () ->
                  f.experiment().rounds(1).secureAggregation(SecureAggregation.lom()).build().run())
          .hasMessageContaining("scheme 'lom' is not accepted by node " + picky)
          .hasMessageContaining("secure_aggregation_schemes = joye-libert,secagg+");
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .secureAggregation(SecureAggregation.secAggPlus().reconstructionThreshold(4))
                      .build()
                      .run())
          .hasMessageContaining("SecAgg+ parameters refused")
          .hasMessageContaining("reconstruction_threshold 4 exceeds the 3 holders");
    }
  }

  private static ExperimentListener crashOn(TestFederation f, String phase, int node) {
    return new ExperimentListener() {
      @Override
      public void phaseStarted(String p, int n) {
        if (p.equals(phase)) {
          f.crashNode(node);
        }
      }
    };
  }

  /** Waits until the SuperLink counts {@code crashed} of the 3 nodes as offline. */
  private static void awaitOffline(TestFederation f, int crashed) throws InterruptedException {
    try (ControlConnection c =
        new ControlConnection(f.endpoint(), f.caFile(), List.of(), Duration.ofSeconds(30))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (c.listNodes().stream().filter(Node::getOnline).count() > 3 - crashed) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the crashed node stayed online");
        }
        Thread.sleep(50); // between looks at the SuperLink's node list, as awaitOnline does
      }
    }
  }

  private static float maxDifference(ExperimentResult a, ExperimentResult b) {
    float max = 0;
    for (int t = 0; t < a.model().tensors().size(); t++) {
      float[] x = a.model().tensors().get(t).data();
      float[] y = b.model().tensors().get(t).data();
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }
}
