package org.fedlink.testing.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.plan.PlanHash;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.isolation.PlanWorkers;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Researchers' plans in sandboxed workers, end to end over loopback TLS: a plan past its time limit
 * fails the round with the node's message naming the plan, the node and the limit, the node serves
 * the next experiment, and an interrupted experiment stops its run, which ends its workers.
 */
class IsolatedPlanFederationTest {
  @TempDir Path dir;
  TestFederation federation;

  private void start(Duration planTimeout) throws InterruptedException {
    federation =
        TestFederation.builder(dir)
            .nodes(1)
            .nodeSettings(
                (i, node) ->
                    node.planPolicy(new PlanPolicy(true, false, HashingAlgorithm.SHA256))
                        .planIsolation(
                            PlanIsolation.of(PlanIsolation.Level.SANDBOX, 256, planTimeout)))
            .start();
    federation.awaitOnline(1, Duration.ofSeconds(30));
  }

  @AfterEach
  void stopFederation() {
    if (federation != null) {
      federation.close();
    }
  }

  private ExperimentResult run(Path jar) {
    return federation
        .experiment()
        .planJar(jar)
        .rounds(2)
        .trainingArgs(TrainingArgs.defaults().withSeed(3))
        .build()
        .run();
  }

  private PlanWorkers workers() {
    return federation.node(0).planWorkers().orElseThrow();
  }

  @Test
  void aPlanPastItsTimeLimitFailsTheRoundAndTheNodeGoesOn() throws Exception {
    start(Duration.ofSeconds(4));
    Path spin =
        PlanJars.build(dir, "Spin", "while (d.rows() > 0) { Thread.onSpinWait(); } return null;");
    String shortHash = PlanHash.of(spin, HashingAlgorithm.SHA256).substring(0, 12);
    String node = "node " + federation.node(0).nodeId();

    assertThatThrownBy(() -> run(spin))
        .isInstanceOf(RoundFailedException.class)
        .hasMessageContaining(
            node
                + ": training plan "
                + shortHash
                + " took longer than plan_timeout_s = 4 s on "
                + node
                + " and was stopped");

    ExperimentResult ok = run(PlanJars.build(dir, "Honest"));
    assertThat(ok.history()).hasSize(2);
    assertThat(ok.last().valAccuracy()).isGreaterThan(0.8);
    // The run ended: its worker goes with it, once the node has the run_stopped message.
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (workers().size() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(workers().size()).isZero();
  }

  @Test
  void interruptingTheExperimentStopsItsRunAndEndsItsWorkers() throws Exception {
    // A limit far beyond the test: only the stopped run can end the worker.
    start(Duration.ofSeconds(600));
    Path stall =
        PlanJars.build(dir, "Stall", "while (d.rows() > 0) { Thread.onSpinWait(); } return null;");
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                run(stall);
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    t.start();
    // Ready when the node's worker is training (the plan spins inside it).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (workers().size() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(workers().size()).as("a worker runs the plan").isEqualTo(1);

    t.interrupt();

    assertThat(outcome.get(30, TimeUnit.SECONDS)).isNotNull();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (workers().size() > 0 && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    assertThat(workers().size()).as("workers after the run stopped").isZero();
  }
}
