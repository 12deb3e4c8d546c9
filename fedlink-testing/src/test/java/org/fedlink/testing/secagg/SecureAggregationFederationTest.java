package org.fedlink.testing.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.fedlink.core.ParametersCodec;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.ml.TrainingArgs;
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
 * Secure aggregation end to end: three in-process SuperNodes over TLS, each with its own MPC
 * certificate and registry, every cell of the node policy table, registry failures and dropouts.
 */
class SecureAggregationFederationTest {
  @TempDir static Path certs;
  @TempDir Path dir;
  static MpcTestParties parties;

  @BeforeAll
  static void generateCertificates() {
    parties = MpcTestParties.generate(certs, 3);
  }

  /** Node settings: enabled, not forced, with the node's identity and full registry. */
  static SecureAggregationSettings.Builder node(int i) {
    String id = MpcTestParties.nodeComponent(i);
    return SecureAggregationSettings.builder()
        .identity(parties.identity(id))
        .parties(parties.directoryOf(id))
        .setupTimeout(Duration.ofSeconds(4))
        .maskParallelism(1);
  }

  /** The researcher's settings with the shipped 1024-bit biprime: fast on a small test machine. */
  static SecureAggregation researcher() {
    try {
      return researcherWithDefaultBiprime().biprime(Biprime.defaultBiprime(1024));
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The researcher's settings with the default biprime of a new run (2048 bits). */
  static SecureAggregation researcherWithDefaultBiprime() {
    return SecureAggregation.joyeLibert()
        .clippingRange(3.0)
        .identity(parties.identity(MpcTestParties.RESEARCHER))
        .parties(parties.directoryOf(MpcTestParties.RESEARCHER))
        .setupTimeout(Duration.ofSeconds(4));
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
  void secureRunTrainsLikeThePlainRunAndTheSuperLinkHoldsOnlyCiphertexts() throws Exception {
    SecureAggregation defaults = researcherWithDefaultBiprime();
    assertThat(defaults.biprime().bits()).isEqualTo(2048);
    try (TestFederation f = federation((i, b) -> i == 0 ? b.forced(true) : b)) {
      Path blobs = dir.resolve("superlink/blobs");
      List<Census> perRound = new ArrayList<>();
      ExperimentResult secure =
          f.experiment()
              .rounds(3)
              .trainingArgs(args())
              .secureAggregation(defaults)
              .listener(
                  new ExperimentListener() {
                    @Override
                    public void roundFinished(RoundMetrics m) {
                      perRound.add(classify(blobs));
                    }
                  })
              .build()
              .run();
      assertThat(secure.history()).hasSize(3);
      assertThat(secure.history()).allSatisfy(m -> assertThat(m.nodes()).isEqualTo(3));
      long modelSize = secure.model().size();
      for (int r = 0; r < perRound.size(); r++) {
        int rounds = r + 1;
        assertThat(perRound.get(r).encrypted()).as("encrypted updates").isEqualTo(3 * rounds);
        assertThat(perRound.get(r).plainSizes().stream().filter(n -> n == modelSize).count())
            .as("plaintext models at the SuperLink: only the researcher's two per round")
            .isEqualTo(2L * rounds);
      }
    }
  }

  @Test
  void secureAndPlainRunsReachTheSameModelAndAccuracy() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      // One round: the secure model differs from the plain one only by quantization and float
      // rounding (plain runs themselves differ by float summation order over several rounds).
      ExperimentResult plain1 = f.experiment().rounds(1).trainingArgs(args()).build().run();
      ExperimentResult secure1 =
          f.experiment()
              .rounds(1)
              .trainingArgs(args())
              .secureAggregation(researcher())
              .build()
              .run();
      assertThat(maxDifference(plain1, secure1)).isLessThan(1e-3f);
      ExperimentResult plain = f.experiment().rounds(3).trainingArgs(args()).build().run();
      ExperimentResult secure =
          f.experiment()
              .rounds(3)
              .trainingArgs(args())
              .secureAggregation(researcher())
              .build()
              .run();
      assertThat(secure.last().valAccuracy())
          .isCloseTo(plain.last().valAccuracy(), org.assertj.core.data.Offset.offset(0.025));
      assertThat(secure.last().valAccuracy()).isGreaterThan(0.85);
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

  @Test
  void forcedNodeRefusesAPlainRunNamingItself() throws Exception {
    try (TestFederation f = federation((i, b) -> i == 1 ? b.forced(true) : b)) {
      long forced = f.node(1).nodeId();
      assertThatThrownBy(() -> f.experiment().rounds(1).trainingArgs(args()).build().run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("secure aggregation required by node " + forced);
    }
  }

  @Test
  void disabledNodeRefusesASecureRunNamingItself() throws Exception {
    try (TestFederation f = federation((i, b) -> i == 2 ? b.enabled(false) : b)) {
      long disabled = f.node(2).nodeId();
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher())
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("secure aggregation not enabled on node " + disabled);
    }
  }

  @Test
  void enabledNodesTrainInPlainWhenTheResearcherDoesNotAsk() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      ExperimentResult r = f.experiment().rounds(1).trainingArgs(args()).build().run();
      assertThat(r.history()).hasSize(1);
    }
  }

  @Test
  void setupFailsNamingANodeTheResearcherDidNotRegister() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      var directory = parties.directoryOf(MpcTestParties.RESEARCHER);
      directory.delete(MpcTestParties.nodeComponent(2));
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher().parties(directory))
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("node " + f.node(2).nodeId() + " is component 'node-2'")
          .hasMessageContaining("not registered with the researcher");
    }
  }

  @Test
  void setupFailsWhenANodeDoesNotKnowAPeer() throws Exception {
    try (TestFederation f =
        federation(
            (i, b) -> {
              if (i == 0) {
                var d = parties.directoryOf(MpcTestParties.nodeComponent(0));
                d.delete(MpcTestParties.nodeComponent(1));
                return b.parties(d);
              }
              return b;
            })) {
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher())
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("party 'node-1' (node " + f.node(1).nodeId() + ")")
          .hasMessageContaining("is not registered on node " + f.node(0).nodeId());
    }
  }

  @Test
  void setupFailsWhenAPeerSignsWithAnUnregisteredCertificate() throws Exception {
    // node-2 runs with a fresh key whose certificate nobody registered.
    MpcTestParties impostor = MpcTestParties.generate(dir.resolve("other"), 3);
    try (TestFederation f =
        federation(
            (i, b) ->
                i == 2 ? b.identity(impostor.identity(MpcTestParties.nodeComponent(2))) : b)) {
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher())
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("node " + f.node(2).nodeId() + " claims component 'node-2'")
          .hasMessageContaining("does not verify");
    }
  }

  @Test
  void nodeDroppingOutDuringSetupFailsTheSetupClearly() throws Exception {
    try (TestFederation f = federation((i, b) -> b)) {
      long dropped = f.node(2).nodeId();
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher())
                      .listener(crashOn(f, "secure aggregation setup", 2))
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("secure aggregation setup")
          .hasMessageContaining("node " + dropped);
    }
  }

  @Test
  void nodeDroppingOutDuringASecureRoundFailsItWithoutDecrypting() throws Exception {
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (TestFederation f = federation((i, b) -> b)) {
      long dropped = f.node(1).nodeId();
      List<RoundMetrics> finished = new ArrayList<>();
      ExperimentListener crash = crashOn(f, "round 2/3 train", 1);
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(3)
                      .trainingArgs(args())
                      .secureAggregation(researcher())
                      .listener(
                          new ExperimentListener() {
                            @Override
                            public void phaseStarted(String phase, int n) {
                              crash.phaseStarted(phase, n);
                            }

                            @Override
                            public void roundFinished(RoundMetrics m) {
                              finished.add(m);
                            }
                          })
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("round 2/3 train failed")
          .hasMessageContaining("node " + dropped);
      assertThat(finished).hasSize(1);
      // The failed experiment closed its secure rounds: their mask thread ends.
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (!before.contains(t) && t.getName().equals("secagg-aggregator-masks")) {
          t.join(10_000);
          assertThat(t.isAlive()).as("%s still running", t).isFalse();
        }
      }
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

  /**
   * Blobs at the SuperLink: encrypted updates, and the sizes of those that are plain parameters.
   */
  record Census(int encrypted, List<Long> plainSizes) {}

  /**
   * Every blob the SuperLink holds: the files of its blob folder and the small blobs kept in rows
   * of its database (read over a connection of the test's own).
   */
  private static Census classify(Path blobs) {
    List<byte[]> held = new ArrayList<>();
    try (Stream<Path> files = Files.list(blobs)) {
      for (Path p : files.filter(p -> !p.toString().endsWith(".part")).toList()) {
        held.add(Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path db = blobs.resolveSibling("superlink.sqlite");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.ResultSet rs =
            c.createStatement().executeQuery("SELECT data FROM blob WHERE data IS NOT NULL")) {
      while (rs.next()) {
        byte[] b = rs.getBytes(1);
        held.add(b == null ? new byte[0] : b);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot read the blobs kept in " + db, e);
    }
    int encrypted = 0;
    List<Long> plain = new ArrayList<>();
    for (byte[] b : held) {
      if (b.length >= 4 && b[0] == 'F' && b[1] == 'L' && b[2] == 'J' && b[3] == 'C') {
        encrypted++;
      } else {
        try {
          plain.add(ParametersCodec.decode(b).size());
        } catch (RuntimeException notParameters) {
          // sealed setup messages and the like
        }
      }
    }
    return new Census(encrypted, plain);
  }

  @Test
  void aRelayQuotaReachedFailsTheRoundNamingTheKey() throws Exception {
    TestFederation f =
        TestFederation.builder(dir)
            .nodes(3)
            .nodeSettings((i, b) -> b.secureAggregation(node(i).build()))
            .superlinkSettings(
                b -> b.quotas(org.fedlink.superlink.Quotas.fromKeys(1024, 16384, 4, 4096, 2)))
            .start();
    try (f) {
      f.awaitOnline(3, Duration.ofSeconds(30));
      // The key setup relays 3 x 2 envelopes; the SuperLink takes 2 for the run.
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher())
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("[superlink] max_envelopes_per_run = 2");
    }
  }
}
