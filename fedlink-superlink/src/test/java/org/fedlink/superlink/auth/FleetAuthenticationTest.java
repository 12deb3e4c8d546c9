package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.fedlink.superlink.auth.AuthFederation.createNode;
import static org.fedlink.superlink.auth.AuthFederation.heartbeat;
import static org.fedlink.superlink.auth.AuthFederation.signing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.KeyFingerprint;
import org.fedlink.crypto.TokenSigner;
import org.fedlink.proto.v1.FleetGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Adversarial tests of Fleet authentication over real TLS: every forged, altered, replayed or
 * misdirected call is refused with "access denied" and logged with its reason, while a valid node
 * keeps working.
 */
class FleetAuthenticationTest {
  @TempDir Path dir;
  private AuthFederation fed;
  private FleetGrpc.FleetBlockingStub nodeA;
  private long nodeAId;
  private ListAppender<ILoggingEvent> log;

  @BeforeEach
  void start() throws Exception {
    fed = new AuthFederation(dir);
    fed.start(fed.authentication().build());
    nodeA = fed.fleet(signing(fed.signer(fed.nodeA)));
    nodeAId = nodeA.createNode(createNode(fed.nodeA)).getNodeId();
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(TokenAuthInterceptor.class)).addAppender(log);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(TokenAuthInterceptor.class)).detachAppender(log);
    fed.close();
  }

  private void assertDenied(ThrowingCallable call, String reason) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(s.getDescription()).isEqualTo("access denied");
            });
    if (reason != null) {
      assertThat(log.list)
          .anySatisfy(
              ev -> {
                assertThat(ev.getLevel()).isEqualTo(Level.WARN);
                assertThat(ev.getFormattedMessage()).contains(reason);
              });
    }
    assertValidNodeStillWorks();
  }

  private void assertValidNodeStillWorks() {
    assertThat(nodeA.heartbeat(heartbeat(nodeAId)).getHeartbeatIntervalMs()).isPositive();
  }

  @Test
  void acceptsKnownNodeOnEveryCall() {
    assertThat(nodeAId).isNotZero();
    for (int i = 0; i < 20; i++) {
      assertValidNodeStillWorks();
    }
  }

  @Test
  void rejectsUnknownKeyAndLogsItsFingerprint() throws Exception {
    FleetGrpc.FleetBlockingStub stranger = fed.fleet(signing(fed.signer(fed.stranger)));
    String fingerprint = KeyFingerprint.sha256(AuthFederation.blob(fed.stranger));
    assertDenied(() -> stranger.createNode(createNode(fed.stranger)), "UNKNOWN_KEY");
    assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(fingerprint));
  }

  @Test
  void rejectsTokenMadeWithAnotherPrivateKey() throws Exception {
    TokenSigner forger = fed.signer(fed.stranger);
    String claimed = fed.signer(fed.nodeA).sign("x", new byte[0]).publicKey();
    FleetGrpc.FleetBlockingStub stub =
        fed.fleet(
            signing(
                (m, b) -> {
                  AuthMetadata a = forger.sign(m, b);
                  return AuthFederation.headers(
                      new AuthMetadata(claimed, a.timestamp(), a.nonce(), a.token()));
                }));
    assertDenied(() -> stub.heartbeat(heartbeat(nodeAId)), "BAD_HMAC");
  }

  @Test
  void rejectsTamperedRequestBody() throws Exception {
    TokenSigner signer = fed.signer(fed.nodeA);
    // Signs node id + 1 but sends the real request: what an attacker changing the body achieves.
    FleetGrpc.FleetBlockingStub stub =
        fed.fleet(
            signing(
                (m, b) ->
                    AuthFederation.headers(
                        signer.sign(
                            m, org.fedlink.transport.SignedBytes.of(heartbeat(nodeAId + 1))))));
    assertDenied(() -> stub.heartbeat(heartbeat(nodeAId)), "BAD_HMAC");
  }

  @Test
  void rejectsReplayedRequest() throws Exception {
    TokenSigner signer = fed.signer(fed.nodeA);
    AtomicReference<AuthMetadata> captured = new AtomicReference<>();
    FleetGrpc.FleetBlockingStub recording =
        fed.fleet(
            signing(
                (m, b) -> {
                  AuthMetadata a = signer.sign(m, b);
                  captured.set(a);
                  return AuthFederation.headers(a);
                }));
    recording.heartbeat(heartbeat(nodeAId));
    FleetGrpc.FleetBlockingStub replay =
        fed.fleet(
            MetadataUtils.newAttachHeadersInterceptor(AuthFederation.headers(captured.get())));
    assertDenied(() -> replay.heartbeat(heartbeat(nodeAId)), "REPLAYED_NONCE");
  }

  @Test
  void rejectsStaleAndFutureTimestamps() throws Exception {
    long skew = SuperLinkAuthentication.DEFAULT_TIMESTAMP_WINDOW.toMillis() + 5_000;
    FleetGrpc.FleetBlockingStub stale =
        fed.fleet(signing(fed.signer(fed.nodeA, () -> System.currentTimeMillis() - skew)));
    assertDenied(() -> stale.heartbeat(heartbeat(nodeAId)), "STALE_TIMESTAMP");
    FleetGrpc.FleetBlockingStub future =
        fed.fleet(signing(fed.signer(fed.nodeA, () -> System.currentTimeMillis() + skew)));
    assertDenied(() -> future.heartbeat(heartbeat(nodeAId)), "FUTURE_TIMESTAMP");
  }

  @Test
  void aRefusedTimestampTellsTheKeyHolderHowFarItsClockIsOff() throws Exception {
    long skew = SuperLinkAuthentication.DEFAULT_TIMESTAMP_WINDOW.toMillis() + 60_000;
    FleetGrpc.FleetBlockingStub late =
        fed.fleet(signing(fed.signer(fed.nodeA, () -> System.currentTimeMillis() - skew)));
    StatusRuntimeException e =
        catchThrowableOfType(
            () -> late.heartbeat(heartbeat(nodeAId)), StatusRuntimeException.class);

    String trailer =
        e.getTrailers()
            .get(
                io.grpc.Metadata.Key.of(
                    org.fedlink.crypto.AuthMetadata.CLOCK_SKEW_TRAILER,
                    io.grpc.Metadata.ASCII_STRING_MARSHALLER));
    assertThat(Long.parseLong(trailer)).isBetween(skew - 10_000, skew + 10_000);
    assertThat(e.getStatus().getDescription()).isEqualTo("access denied");

    // A caller without a valid token learns nothing about the clock.
    FleetGrpc.FleetBlockingStub bare = fed.fleet();
    StatusRuntimeException anonymous =
        catchThrowableOfType(
            () -> bare.heartbeat(heartbeat(nodeAId)), StatusRuntimeException.class);
    assertThat(anonymous.getTrailers().keys())
        .doesNotContain(org.fedlink.crypto.AuthMetadata.CLOCK_SKEW_TRAILER);
  }

  @Test
  void rejectsMissingMetadata() {
    FleetGrpc.FleetBlockingStub bare = fed.fleet();
    assertDenied(() -> bare.heartbeat(heartbeat(nodeAId)), "MALFORMED");
    assertDenied(() -> bare.createNode(createNode(fed.nodeA)), "MALFORMED");
  }

  @Test
  void rejectsGarbledMetadata() throws Exception {
    TokenSigner signer = fed.signer(fed.nodeA);
    List<java.util.function.UnaryOperator<AuthMetadata>> garblers = new ArrayList<>();
    garblers.add(a -> new AuthMetadata(a.publicKey(), a.timestamp(), a.nonce(), "!!not base64"));
    garblers.add(a -> new AuthMetadata(a.publicKey(), "yesterday", a.nonce(), a.token()));
    garblers.add(a -> new AuthMetadata(a.publicKey(), a.timestamp(), "AAAA", a.token()));
    garblers.add(a -> new AuthMetadata("ecdsa-sha2-nistp384", a.timestamp(), a.nonce(), a.token()));
    garblers.add(
        a ->
            new AuthMetadata(
                a.publicKey(), a.timestamp(), a.nonce(), a.token().substring(0, 20) + "=="));
    garblers.add(a -> new AuthMetadata(a.publicKey(), a.timestamp(), null, a.token()));
    for (java.util.function.UnaryOperator<AuthMetadata> g : garblers) {
      FleetGrpc.FleetBlockingStub stub =
          fed.fleet(signing((m, b) -> AuthFederation.headers(g.apply(signer.sign(m, b)))));
      assertDenied(() -> stub.heartbeat(heartbeat(nodeAId)), null);
    }
    assertThat(log.list).hasSizeGreaterThanOrEqualTo(garblers.size());
  }

  @Test
  void rejectsNodeIdOfAnotherKey() throws Exception {
    FleetGrpc.FleetBlockingStub nodeB = fed.fleet(signing(fed.signer(fed.nodeB)));
    long nodeBId = nodeB.createNode(createNode(fed.nodeB)).getNodeId();
    assertThat(nodeBId).isNotEqualTo(nodeAId);
    assertDenied(() -> nodeB.heartbeat(heartbeat(nodeAId)), null);
    assertDenied(() -> nodeB.subscribeTasks(AuthFederation.subscribe(nodeAId)).hasNext(), null);
    assertThat(nodeB.heartbeat(heartbeat(nodeBId)).getHeartbeatIntervalMs()).isPositive();
  }

  @Test
  void rejectsCreateNodeForAnotherIdentity() throws Exception {
    FleetGrpc.FleetBlockingStub nodeB = fed.fleet(signing(fed.signer(fed.nodeB)));
    assertDenied(() -> nodeB.createNode(createNode(fed.nodeA)), null);
  }

  @Test
  void neverLogsTheToken() throws Exception {
    TokenSigner signer = fed.signer(fed.nodeA);
    AtomicReference<AuthMetadata> sent = new AtomicReference<>();
    FleetGrpc.FleetBlockingStub stub =
        fed.fleet(
            signing(
                (m, b) -> {
                  AuthMetadata a = signer.sign(m, new byte[] {1});
                  sent.set(a);
                  return AuthFederation.headers(a);
                }));
    assertDenied(() -> stub.heartbeat(heartbeat(nodeAId)), "BAD_HMAC");
    assertThat(log.list)
        .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(sent.get().token()));
  }
}
