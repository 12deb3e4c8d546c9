package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedlink.superlink.auth.AuthFederation.createNode;
import static org.fedlink.superlink.auth.AuthFederation.heartbeat;
import static org.fedlink.superlink.auth.AuthFederation.signing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.fedlink.crypto.KeyFingerprint;
import org.fedlink.proto.v1.FleetGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The replay cache is shared out per key, over real TLS: a listed key that floods calls fills only
 * its own share and is then refused (fail closed, logged with its fingerprint), while another
 * listed key's calls keep succeeding.
 */
class NonceFloodTest {
  /** Two node keys share 20 nonces: 10 each. */
  private static final int CAPACITY = 20;

  private static final int SHARE = CAPACITY / 2;

  @TempDir Path dir;
  private AuthFederation fed;
  private ListAppender<ILoggingEvent> log;

  @BeforeEach
  void start() throws Exception {
    fed = new AuthFederation(dir);
    fed.start(fed.authentication().nonceCapacity(CAPACITY).build());
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(TokenAuthInterceptor.class)).addAppender(log);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(TokenAuthInterceptor.class)).detachAppender(log);
    fed.close();
  }

  @Test
  void floodingKeyIsRefusedWhileAnotherKeyKeepsWorking() throws Exception {
    FleetGrpc.FleetBlockingStub a = fed.fleet(signing(fed.signer(fed.nodeA)));
    FleetGrpc.FleetBlockingStub b = fed.fleet(signing(fed.signer(fed.nodeB)));
    long aId = a.createNode(createNode(fed.nodeA)).getNodeId();
    long bId = b.createNode(createNode(fed.nodeB)).getNodeId();
    for (int i = 1; i < SHARE; i++) {
      a.heartbeat(heartbeat(aId));
    }

    // A's share is full: refused, fail closed.
    assertThatThrownBy(() -> a.heartbeat(heartbeat(aId)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(s.getDescription()).isEqualTo("access denied");
            });
    String fingerprintA = KeyFingerprint.sha256(AuthFederation.blob(fed.nodeA));
    assertThat(log.list)
        .anySatisfy(
            ev -> {
              assertThat(ev.getLevel()).isEqualTo(Level.WARN);
              assertThat(ev.getFormattedMessage())
                  .contains("REPLAY_CACHE_FULL", fingerprintA)
                  .doesNotContain(KeyFingerprint.sha256(AuthFederation.blob(fed.nodeB)));
            });

    // B still has its whole share, untouched by A's flood.
    for (int i = 1; i < SHARE; i++) {
      assertThat(b.heartbeat(heartbeat(bId)).getHeartbeatIntervalMs()).isPositive();
    }
    assertThatThrownBy(() -> a.heartbeat(heartbeat(aId)))
        .isInstanceOf(StatusRuntimeException.class);
  }
}
