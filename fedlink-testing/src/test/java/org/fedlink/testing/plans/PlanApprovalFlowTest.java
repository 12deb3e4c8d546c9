package org.fedlink.testing.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.plan.PlanHash;
import org.fedlink.researcher.ApprovalAnswer;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.PlanApproval;
import org.fedlink.researcher.PlanJar;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.supernode.plans.PlanStatus;
import org.fedlink.supernode.plans.TrainingPlanRecord;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training-plan approval flow over loopback TLS: two in-process SuperNodes that require
 * approval (hash SHA3_256) and refuse default plans, a researcher sending JAR plans.
 */
class PlanApprovalFlowTest {
  @TempDir static Path dir;
  static TestFederation federation;

  @BeforeAll
  static void startFederation() throws InterruptedException {
    federation =
        TestFederation.builder(dir)
            .nodes(2)
            .nodeSettings(
                (i, node) ->
                    node.planPolicy(new PlanPolicy(false, true, HashingAlgorithm.SHA3_256)))
            .start();
    federation.awaitOnline(2, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopFederation() {
    federation.close();
  }

  private static ExperimentResult run(Path jar) {
    return federation
        .experiment()
        .planJar(jar)
        .rounds(1)
        .trainingArgs(TrainingArgs.defaults().withSeed(3))
        .build()
        .run();
  }

  private static List<ApprovalAnswer> requestApproval(Path jar) {
    try (ControlConnection c =
        new ControlConnection(
            federation.endpoint(), federation.caFile(), List.of(), Duration.ofSeconds(30))) {
      return PlanApproval.request(c, PlanJar.read(jar), "RESEARCHER_test", Duration.ofSeconds(30));
    }
  }

  private static TrainingPlanRecord planNamed(SuperNode node, String name) {
    return node.plans().list().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("node has no plan " + name));
  }

  private static String nodeId(int i) {
    return "node " + federation.node(i).nodeId();
  }

  @Test
  void unapprovedJarIsRefusedNamingEachNode() throws Exception {
    Path jar = PlanJars.build(dir, "NeverRequested");

    assertThatThrownBy(() -> run(jar))
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining("is not approved on " + nodeId(0))
        .hasMessageContaining("is not approved on " + nodeId(1))
        .hasMessageContaining("never requested");
  }

  @Test
  void requestedPlanIsPendingThenRunsOnceApproved() throws Exception {
    Path jar = PlanJars.build(dir, "Requested");
    String hash = PlanHash.of(jar, HashingAlgorithm.SHA3_256);

    List<ApprovalAnswer> answers = requestApproval(jar);

    assertThat(answers).hasSize(2).allSatisfy(a -> assertThat(a.received()).isTrue());
    assertThat(answers.get(0).message()).contains("is Pending on node");
    for (int i = 0; i < 2; i++) {
      TrainingPlanRecord p = planNamed(federation.node(i), "Requested.jar");
      assertThat(p.status()).isEqualTo(PlanStatus.PENDING);
      assertThat(p.hash()).isEqualTo(hash);
      assertThat(p.algorithm()).isEqualTo("SHA3_256");
      assertThat(p.researcherId()).isEqualTo("RESEARCHER_test");
      assertThat(p.className()).isEqualTo("demo.plans.Requested");
      assertThat(Files.isRegularFile(p.jar())).isTrue();
    }
    assertThatThrownBy(() -> run(jar)).hasMessageContaining("(status Pending)");

    for (int i = 0; i < 2; i++) {
      federation.node(i).plans().setStatus(hash.substring(0, 10), PlanStatus.APPROVED, "ok");
    }
    ExperimentResult r = run(jar);

    assertThat(r.history()).hasSize(1);
    assertThat(r.last().nodes()).isEqualTo(2);
    assertThat(r.last().valAccuracy()).isGreaterThan(0.8);
  }

  @Test
  void planRejectedOnOneNodeFailsTheRoundNamingThatNode() throws Exception {
    Path jar = PlanJars.build(dir, "Disputed");
    requestApproval(jar);
    federation
        .node(0)
        .plans()
        .setStatus(
            planNamed(federation.node(0), "Disputed.jar").hash(),
            PlanStatus.REJECTED,
            "reads too much");
    federation
        .node(1)
        .plans()
        .setStatus(planNamed(federation.node(1), "Disputed.jar").hash(), PlanStatus.APPROVED, null);

    assertThatThrownBy(() -> run(jar))
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining("is not approved on " + nodeId(0) + " (status Rejected)")
        .hasMessageNotContaining("on " + nodeId(1) + " (");
  }

  @Test
  void defaultPlansAreRefusedWhenNotAllowed() {
    assertThatThrownBy(
            () -> federation.experiment().plan("logistic-regression").rounds(1).build().run())
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining("default training plans are not allowed on " + nodeId(0))
        .hasMessageContaining("default training plans are not allowed on " + nodeId(1));
  }

  @Test
  void approvalHoldsForTheSameCodeRebuiltWithOtherTimestamps() throws Exception {
    byte[] code = PlanJars.compile(dir.resolve("build-Rebuilt"), "Rebuilt");
    Path first = PlanJars.pack(dir.resolve("v1/Rebuilt.jar"), "Rebuilt", code, 1_500_000_000_000L);
    Path second = PlanJars.pack(dir.resolve("v2/Rebuilt.jar"), "Rebuilt", code, 1_700_000_000_000L);
    assertThat(PlanJar.read(first).sha256()).isNotEqualTo(PlanJar.read(second).sha256());

    requestApproval(first);
    for (int i = 0; i < 2; i++) {
      SuperNode node = federation.node(i);
      node.plans().setStatus(planNamed(node, "Rebuilt.jar").hash(), PlanStatus.APPROVED, null);
    }

    assertThat(run(second).history()).hasSize(1);
  }
}
