package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.superlink.SuperLink;
import org.fedlink.supernode.SuperNode;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes and SuperLinks that go away, and peers that cannot be trusted. */
class FailureTest {
  @TempDir Path dir;

  /** Calls {@code action} once, when round {@code round} has finished. */
  private static ExperimentListener after(int round, Runnable action) {
    return new ExperimentListener() {
      @Override
      public void roundFinished(RoundMetrics m) {
        if (m.round() == round) {
          action.run();
        }
      }
    };
  }

  @Test
  void roundCompletesWithoutACrashedNodeWhenTheMinimumAllows() {
    try (TestFederation f = TestFederation.builder(dir).nodes(3).start()) {
      f.awaitOnline(3, Duration.ofSeconds(30));
      long victim = f.node(2).nodeId();
      ExperimentResult r =
          f.experiment()
              .minNodes(2)
              .rounds(6)
              .trainingArgs(TrainingArgs.defaults())
              .listener(after(2, () -> f.crashNode(2)))
              .build()
              .run();
      assertThat(r.history()).hasSize(6);
      assertThat(r.last().nodes()).isEqualTo(2);
      List<String> dropped = new ArrayList<>();
      r.history().forEach(m -> dropped.addAll(m.dropped()));
      assertThat(dropped)
          .anySatisfy(d -> assertThat(d).contains("node " + victim).contains("offline"));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aNodeWithoutADatasetOfTheTagsSitsOutWhileTheMinimumHolds() throws InterruptedException {
    try (TestFederation f = TestFederation.builder(dir).nodes(3).start()) {
      f.awaitOnline(3, Duration.ofSeconds(30));
      long bare = f.node(2).nodeId();
      for (var d : f.node(2).datasets().list()) {
        f.node(2).datasets().delete(d.name());
      }
      ExperimentResult r =
          f.experiment().minNodes(2).rounds(2).trainingArgs(TrainingArgs.defaults()).build().run();

      assertThat(r.history()).hasSize(2);
      assertThat(r.last().nodes()).isEqualTo(2);
      List<String> dropped = new ArrayList<>();
      r.history().forEach(m -> dropped.addAll(m.dropped()));
      assertThat(dropped)
          .anySatisfy(d -> assertThat(d).contains("node " + bare).contains("no dataset with tags"));

      // Without enough nodes left, the round fails naming the node and the reason.
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .minNodes(3)
                      .rounds(1)
                      .trainingArgs(TrainingArgs.defaults())
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("node " + bare)
          .hasMessageContaining("no dataset with tags");
    }
  }

  @Test
  void roundFailsNamingTheCrashedNodeWhenTheMinimumIsNotMet() throws InterruptedException {
    try (TestFederation f = TestFederation.builder(dir).nodes(3).start()) {
      f.awaitOnline(3, Duration.ofSeconds(30));
      long victim = f.node(1).nodeId();
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .minNodes(3)
                      .rounds(20)
                      .listener(after(1, () -> f.crashNode(1)))
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("node " + victim)
          .hasMessageContaining("minimum of 3");
    }
  }

  @Test
  void aTaskForAnOfflineNodeFailsAtOnceInsteadOfHanging() throws InterruptedException {
    try (TestFederation f = TestFederation.builder(dir).nodes(2).start()) {
      f.awaitOnline(2, Duration.ofSeconds(30));
      long victim = f.node(0).nodeId();
      f.crashNode(0);
      try (ControlConnection c =
          new ControlConnection(f.endpoint(), f.caFile(), List.of(), Duration.ofSeconds(10))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.listNodes().stream().anyMatch(n -> n.getNodeId() == victim && n.getOnline())) {
          assertThat(System.nanoTime()).isLessThan(deadline);
          Thread.sleep(50);
        }
        String runId = UUID.randomUUID().toString();
        c.createRun(runId, java.util.Map.of());
        String taskId = UUID.randomUUID().toString();
        c.pushTasks(
            List.of(
                Task.newBuilder()
                    .setTaskId(taskId)
                    .setRunId(runId)
                    .setNodeId(victim)
                    .setKind(TaskKeys.KIND_DESCRIBE)
                    .setPlan("logistic-regression")
                    .build()));
        List<TaskResult> results = new ArrayList<>();
        Set<String> missing =
            c.awaitResults(runId, List.of(taskId), Duration.ofSeconds(2), results::add);
        assertThat(missing).isEmpty();
        assertThat(results.get(0).getStatus().getCode()).isEqualTo(ErrorCode.NODE_OFFLINE.code());
        assertThat(results.get(0).getStatus().getMessage())
            .isEqualTo(
                "node "
                    + victim
                    + " is offline (last seen "
                    + results.get(0).getStatus().getMessage().replaceAll(".*last seen ", ""));
        assertThat(results.get(0).getStatus().getMessage()).contains("is offline");
      }
    }
  }

  @Test
  void experimentSurvivesASuperLinkRestartAndNodesKeepTheirIds() throws Exception {
    try (TestFederation f = TestFederation.builder(dir).nodes(2).start()) {
      f.awaitOnline(2, Duration.ofSeconds(30));
      List<Long> before = nodeIds(f);
      CountDownLatch restarted = new CountDownLatch(1);
      CompletableFuture<ExperimentResult> run =
          CompletableFuture.supplyAsync(
              () ->
                  f.experiment()
                      .rounds(6)
                      .listener(
                          after(
                              2,
                              () -> {
                                f.stopSuperLink();
                                f.startSuperLink();
                                restarted.countDown();
                              }))
                      .build()
                      .run());
      ExperimentResult r = run.get(120, TimeUnit.SECONDS);
      assertThat(restarted.getCount()).isZero();
      assertThat(r.history()).hasSize(6);
      assertThat(r.last().nodes()).isEqualTo(2);
      assertThat(nodeIds(f)).containsExactlyInAnyOrderElementsOf(before);
    }
  }

  @Test
  void aNodeThatRestartsRejoinsWithItsId() throws InterruptedException {
    try (TestFederation f = TestFederation.builder(dir).nodes(1).start()) {
      f.awaitOnline(1, Duration.ofSeconds(30));
      long id = f.node(0).nodeId();
      f.crashNode(0);
      SuperNode again = f.startNode(0);
      assertThat(again.awaitRegistered(Duration.ofSeconds(30))).isTrue();
      assertThat(again.nodeId()).isEqualTo(id);
    }
  }

  @Test
  void aNodeThatDoesNotTrustTheSuperLinksCertificateSaysSo() throws Exception {
    try (TestFederation f = TestFederation.builder(dir).nodes(1).start()) {
      DevelopmentCa.CaFiles other =
          DevelopmentCa.create(dir.resolve("other-ca"), List.of("localhost", "127.0.0.1"));
      try (SuperNode stranger =
          SuperNode.builder()
              .superlink(f.endpoint())
              .rootCertificates(other.caCertificate())
              .home(dir.resolve("stranger"))
              .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
              .build()
              .start()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stranger.lastError() == null && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(stranger.lastError())
            .contains("cannot verify the TLS certificate of the SuperLink at " + f.endpoint())
            .contains("--root-certificates");
        assertThat(stranger.nodeId()).isZero();
      }
    }
  }

  @Test
  void superLinkRefusesToStartWithoutItsTlsFilesNamingTheMissingOne() {
    assertThatThrownBy(
            () ->
                SuperLink.builder()
                    .tls(null, dir.resolve("server.pem"), null)
                    .home(dir.resolve("link"))
                    .build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("--ssl-certfile " + dir.resolve("server.pem") + " does not exist");
    assertThatThrownBy(() -> SuperLink.builder().home(dir.resolve("link")).build())
        .hasMessageContaining("--ssl-certfile is missing")
        .hasMessageContaining("--insecure");
  }

  @Test
  void superLinkStartsWithoutTheOptionalCaFile() throws Exception {
    DevelopmentCa.CaFiles tls = DevelopmentCa.create(dir.resolve("certs"), List.of("127.0.0.1"));
    try (SuperLink link =
        SuperLink.builder()
            .address(new org.fedlink.transport.Endpoint("127.0.0.1", 0))
            .tls(null, tls.serverCertificate(), tls.serverKey())
            .home(dir.resolve("link"))
            .build()
            .start()) {
      assertThat(link.port()).isPositive();
    }
  }

  @Test
  void superLinkRefusesACaFileThatDidNotIssueItsCertificate() throws Exception {
    DevelopmentCa.CaFiles tls = DevelopmentCa.create(dir.resolve("certs"), List.of("127.0.0.1"));
    DevelopmentCa.CaFiles other = DevelopmentCa.create(dir.resolve("other"), List.of("127.0.0.1"));
    assertThatThrownBy(
            () ->
                SuperLink.builder()
                    .tls(other.caCertificate(), tls.serverCertificate(), tls.serverKey())
                    .home(dir.resolve("link"))
                    .build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("--ssl-certfile " + tls.serverCertificate())
        .hasMessageContaining(
            "is not issued by the CA in --ssl-ca-certfile " + other.caCertificate())
        .hasMessageContaining("leave --ssl-ca-certfile out");
  }

  private static List<Long> nodeIds(TestFederation f) {
    try (ControlConnection c =
        new ControlConnection(f.endpoint(), f.caFile(), List.of(), Duration.ofSeconds(10))) {
      return c.listNodes().stream().map(Node::getNodeId).toList();
    }
  }
}
