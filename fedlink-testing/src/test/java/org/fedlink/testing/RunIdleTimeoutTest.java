package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.Task;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.superlink.SuperLink;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose researcher is gone is stopped after {@code [superlink] run_idle_timeout_s}; a
 * researcher that calls within that time keeps it. The SuperLink's clock is moved by the test, so
 * nothing waits for the timeout.
 */
class RunIdleTimeoutTest {
  @TempDir Path dir;

  /** A clock that moves only when the test advances it. */
  private static final class ManualClock extends java.time.Clock {
    private volatile Instant now = Instant.parse("2026-11-29T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException("the test clock is UTC");
    }
  }

  /** A SuperLink over TLS whose runs go idle after 1 hour of {@code clock}. */
  private SuperLink superlink(DevelopmentCa.CaFiles tls, ManualClock clock) {
    return SuperLink.builder()
        .address(new Endpoint("127.0.0.1", 0))
        .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
        .home(dir.resolve("superlink"))
        .runIdleTimeout(Duration.ofHours(1))
        .clock(clock)
        .build()
        .start();
  }

  private static ControlConnection researcher(SuperLink link, DevelopmentCa.CaFiles tls) {
    return new ControlConnection(
        new Endpoint("127.0.0.1", link.port()),
        tls.caCertificate(),
        List.of(),
        Duration.ofSeconds(20));
  }

  @Test
  void runWithoutCallsForTheTimeoutIsStoppedAndACallingResearcherKeepsItsRun() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    ManualClock clock = new ManualClock();
    try (SuperLink link = superlink(tls, clock);
        ControlConnection control = researcher(link, tls)) {
      String kept = UUID.randomUUID().toString();
      String abandoned = UUID.randomUUID().toString();
      control.createRun(kept, Map.of());
      control.createRun(abandoned, Map.of());

      clock.advance(Duration.ofMinutes(50));
      assertThat(control.getRun(kept)).map(Run::getStopped).contains(false); // a call: kept alive
      clock.advance(Duration.ofMinutes(50));
      Instant sweptAt = clock.instant();

      assertThat(link.idleRuns().sweep()).containsExactly(abandoned);

      Run stopped = control.getRun(abandoned).orElseThrow();
      assertThat(stopped.getStopped()).isTrue();
      assertThat(stopped.getStoppedMs()).isEqualTo(sweptAt.toEpochMilli());
      assertThat(stopped.getStopReason()).contains("3600 s").contains("run_idle_timeout_s");
      assertThat(control.getRun(kept)).map(Run::getStopped).contains(false);
      Task task =
          Task.newBuilder()
              .setTaskId(UUID.randomUUID().toString())
              .setRunId(abandoned)
              .setNodeId(1)
              .setKind("train")
              .build();
      assertThatThrownBy(() -> control.pushTasks(List.of(task)))
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining("run " + abandoned + " was stopped on the SuperLink at " + sweptAt)
          .hasMessageContaining("start a new run");

      // The kept run's last call was the getRun just above: idle only once an hour has passed.
      clock.advance(Duration.ofMinutes(59));
      assertThat(link.idleRuns().sweep()).isEmpty();
      clock.advance(Duration.ofMinutes(2));
      assertThat(link.idleRuns().sweep()).containsExactly(kept);
      assertThat(control.getRun(kept)).map(Run::getStopped).contains(true);
    }
  }

  @Test
  void aResearcherWaitingOnResultsKeepsItsRunAliveUntilItsStreamCloses() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    ManualClock clock = new ManualClock();
    try (SuperLink link = superlink(tls, clock);
        ControlConnection control = researcher(link, tls)) {
      String run = UUID.randomUUID().toString();
      control.createRun(run, Map.of());
      ControlConnection waiting = researcher(link, tls);
      Thread waiter =
          new Thread(
              () -> {
                try {
                  waiting.awaitResults(
                      run, List.of(UUID.randomUUID().toString()), Duration.ofMinutes(5), r -> {});
                } catch (FedlinkException e) {
                  // The connection closed under it: the end this test wants.
                }
              });
      waiter.setDaemon(true);
      waiter.start();
      awaitWaiting(link, run, true);

      clock.advance(Duration.ofHours(2));
      assertThat(link.idleRuns().sweep()).isEmpty();

      waiting.close();
      awaitWaiting(link, run, false);
      clock.advance(Duration.ofMinutes(59));
      assertThat(link.idleRuns().sweep()).isEmpty();
      clock.advance(Duration.ofMinutes(2));
      assertThat(link.idleRuns().sweep()).containsExactly(run);
    }
  }

  private static void awaitWaiting(SuperLink link, String run, boolean waiting)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (link.idleRuns().researcherWaiting(run) != waiting) {
      assertThat(System.nanoTime())
          .as("researcher waiting = %s in time", waiting)
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aRunStoppedByItsResearcherKeepsThatReason() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    try (SuperLink link =
            SuperLink.builder()
                .address(new Endpoint("127.0.0.1", 0))
                .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
                .home(dir.resolve("superlink"))
                .build()
                .start();
        ControlConnection control =
            new ControlConnection(
                new Endpoint("127.0.0.1", link.port()),
                tls.caCertificate(),
                List.of(),
                Duration.ofSeconds(20))) {
      String run = UUID.randomUUID().toString();
      control.createRun(run, Map.of());
      control.stopRun(run);

      Run stopped = control.getRun(run).orElseThrow();
      assertThat(stopped.getStopReason()).isEqualTo("stopped by its researcher");
      assertThat(stopped.getStoppedMs()).isPositive();
      assertThat(control.getRun(UUID.randomUUID().toString())).isEmpty();
    }
  }
}
