package org.fedlink.testing.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.IntPredicate;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.supernode.secagg.DirectTransportSettings;
import org.fedlink.supernode.secagg.SecureAggregationSettings;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [mpc] transport = direct} end to end: three in-process SuperNodes whose MPC endpoints
 * listen on loopback ports registered with every other party, key shares going node to node over
 * mutual TLS, and the SuperLink's envelope table as the witness of what it relayed.
 */
class DirectTransportFederationTest {
  private static final int NODES = 3;

  @TempDir static Path certs;
  @TempDir Path dir;
  static MpcTestParties parties;
  static int[] ports = new int[NODES];

  @BeforeAll
  static void generateCertificates() throws IOException {
    parties = MpcTestParties.generate(certs, NODES);
    for (int i = 0; i < NODES; i++) {
      ports[i] = freePort();
      parties.endpoint(MpcTestParties.nodeComponent(i), "127.0.0.1", ports[i]);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Nodes for which {@code direct} holds use the direct transport, the others relay. */
  TestFederation federation(IntPredicate direct) throws InterruptedException {
    TestFederation f =
        TestFederation.builder(dir)
            .nodes(NODES)
            .nodeSettings((i, b) -> b.secureAggregation(node(i, direct.test(i))))
            .start();
    f.awaitOnline(NODES, Duration.ofSeconds(30));
    return f;
  }

  static SecureAggregationSettings node(int i, boolean direct) {
    String id = MpcTestParties.nodeComponent(i);
    SecureAggregationSettings.Builder b =
        SecureAggregationSettings.builder()
            .identity(parties.identity(id))
            .parties(parties.directoryOf(id))
            .setupTimeout(Duration.ofSeconds(4))
            .maskParallelism(1);
    if (direct) {
      b.transport("direct")
          .direct(
              new DirectTransportSettings(
                  parties.registration(id).certificate().certificate(), "127.0.0.1", ports[i]));
    }
    return b.build();
  }

  /** The researcher's settings, with the shipped 1024-bit biprime: fast on a small machine. */
  static SecureAggregation researcher(String transport) {
    Biprime n1024;
    try {
      n1024 = Biprime.defaultBiprime(1024);
    } catch (InvalidAlgorithmParameterException e) {
      throw new IllegalStateException(e);
    }
    return SecureAggregation.joyeLibert()
        .biprime(n1024)
        .clippingRange(3.0)
        .identity(parties.identity(MpcTestParties.RESEARCHER))
        .parties(parties.directoryOf(MpcTestParties.RESEARCHER))
        .setupTimeout(Duration.ofSeconds(4))
        .transport(transport);
  }

  static TrainingArgs args() {
    return TrainingArgs.defaults().withSeed(7);
  }

  /** Rows of the SuperLink's envelope table: every envelope it was ever asked to relay. */
  long relayedEnvelopes() throws Exception {
    Path db = dir.resolve("superlink/superlink.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM envelope")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void secureRunOnTheDirectTransportCompletesWithoutTheSuperLinkRelayingAShare() throws Exception {
    try (TestFederation f = federation(i -> true)) {
      ExperimentResult r =
          f.experiment()
              .rounds(2)
              .trainingArgs(args())
              .secureAggregation(researcher("direct"))
              .build()
              .run();
      assertThat(r.history()).hasSize(2);
      assertThat(r.history()).allSatisfy(m -> assertThat(m.nodes()).isEqualTo(NODES));
      assertThat(r.last().valAccuracy()).isGreaterThan(0.8);
      assertThat(relayedEnvelopes()).as("envelopes relayed by the SuperLink").isZero();
    }
  }

  @Test
  void relayedSetupLeavesOneEnvelopePerShareAtTheSuperLink() throws Exception {
    // The witness of the test above counts shares: with relay, each node relays one per peer.
    try (TestFederation f = federation(i -> false)) {
      f.experiment()
          .rounds(1)
          .trainingArgs(args())
          .secureAggregation(researcher("relay"))
          .build()
          .run();
      assertThat(relayedEnvelopes()).isEqualTo((long) NODES * (NODES - 1));
    }
  }

  @Test
  void nodesOnRelayRefuseAResearcherAskingForDirectNamingBothValues() throws Exception {
    try (TestFederation f = federation(i -> false)) {
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher("direct"))
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("MPC transport mismatch")
          .hasMessageContaining(
              "has [mpc] transport = relay, the researcher asked for transport = direct");
      assertThat(relayedEnvelopes()).isZero();
    }
  }

  @Test
  void mixedRelayAndDirectNodesRefuseTheSetupNamingBothValues() throws Exception {
    // Nodes 0 and 1 are on direct, node 2 on relay; the researcher asks for relay. Node 2 then
    // waits for shares that never come, and the setup fails on the refusal of node 0 or 1.
    try (TestFederation f = federation(i -> i < 2)) {
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .trainingArgs(args())
                      .secureAggregation(researcher("relay"))
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("MPC transport mismatch")
          .hasMessageContaining(
              "has [mpc] transport = direct, the researcher asked for transport = relay")
          .hasMessageContaining("set the same [mpc] transport on the researcher and every node")
          .hasMessageMatching(
              "(?s).*node (" + f.node(0).nodeId() + "|" + f.node(1).nodeId() + ") has.*");
    }
  }
}
