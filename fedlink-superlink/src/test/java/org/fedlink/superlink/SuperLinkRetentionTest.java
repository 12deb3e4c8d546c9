package org.fedlink.superlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.Run;
import org.fedlink.superlink.state.SqliteLinkState;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running SuperLink sweeps stopped runs past its retention by itself, the first time at start.
 */
class SuperLinkRetentionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path home;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private boolean runExists(String runId) throws Exception {
    // A second connection reads beside the SuperLink's (WAL lets readers in).
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + home.resolve("superlink.sqlite"));
        PreparedStatement s = c.prepareStatement("SELECT 1 FROM run WHERE run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Test
  void removesRunsStoppedLongerAgoThanTheRetentionAndNothingElse() throws Exception {
    try (SqliteLinkState state =
        SqliteLinkState.open(home.resolve("superlink.sqlite"), Clock.fixed(T0, ZoneOffset.UTC))) {
      for (String id : List.of("old", "recent", "open")) {
        state.createRun(Run.newBuilder().setRunId(id).setCreatedMs(T0.toEpochMilli()).build());
      }
      state.stopRun("old");
    }
    try (SqliteLinkState state =
        SqliteLinkState.open(
            home.resolve("superlink.sqlite"),
            Clock.fixed(T0.plus(Duration.ofDays(5)), ZoneOffset.UTC))) {
      state.stopRun("recent");
    }
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(home.resolve("certs"), List.of("localhost", "127.0.0.1"));
    // Eight days after "old" stopped, three after "recent".
    Clock now = Clock.fixed(T0.plus(Duration.ofDays(8)), ZoneOffset.UTC);

    try (SuperLink link =
        SuperLink.builder()
            .address(new Endpoint("127.0.0.1", freePort()))
            .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
            .home(home)
            .retention(Duration.ofDays(7))
            .clock(now)
            .build()
            .start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (runExists("old") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }

      assertThat(runExists("old")).as("removed by the sweep at start").isFalse();
      assertThat(runExists("recent")).isTrue();
      assertThat(runExists("open")).isTrue();
    }
  }
}
