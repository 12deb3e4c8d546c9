package org.fedlink.researcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;

class ControlConnectionTest {
  private static Endpoint nobodyListening() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return new Endpoint("127.0.0.1", s.getLocalPort());
    }
  }

  @Test
  void firstContactFailureStatesTheFirstContactTimeoutItUsed() throws IOException {
    Endpoint where = nobodyListening();
    try (ControlConnection c =
        new ControlConnection(
            where, null, List.of(), Duration.ofSeconds(60), Duration.ofMillis(1500))) {
      assertThatThrownBy(c::listNodes)
          .isInstanceOfSatisfying(
              FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
          .hasMessageContaining("the SuperLink at " + where + " is unreachable")
          .hasMessageContaining("tried for 1.5 s, the wait for a SuperLink that never answered")
          .hasMessageContaining("calls retry for 60 s")
          .hasMessageNotContaining("tried for 60 s");
    }
  }

  @Test
  void aReconnectTimeoutShorterThanFirstContactIsTheOneStated() throws IOException {
    try (ControlConnection c =
        new ControlConnection(
            nobodyListening(), null, List.of(), Duration.ofSeconds(1), Duration.ofSeconds(20))) {
      assertThatThrownBy(c::listNodes)
          .hasMessageContaining("tried for 1 s)")
          .hasMessageNotContaining("never answered");
    }
  }
}
