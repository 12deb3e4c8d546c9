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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.ListNodesRequest;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.superlink.SuperLink;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Keys over time: reloads, restarts, the Control API list, and settings refused at start. */
class KeyLifecycleTest {
  @TempDir Path dir;
  private AuthFederation fed;

  @BeforeEach
  void setUp() throws Exception {
    fed = new AuthFederation(dir);
  }

  @AfterEach
  void tearDown() {
    fed.close();
  }

  private static void assertDenied(Throwable e) {
    assertThat(e).isInstanceOf(StatusRuntimeException.class);
    Status s = ((StatusRuntimeException) e).getStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(s.getDescription()).isEqualTo("access denied");
  }

  @Test
  void removedKeyLosesItsTaskStreamAndIsRefusedWhileOthersStay() throws Exception {
    fed.start(fed.authentication().build());
    FleetGrpc.FleetBlockingStub a = fed.fleet(signing(fed.signer(fed.nodeA)));
    FleetGrpc.FleetBlockingStub b = fed.fleet(signing(fed.signer(fed.nodeB)));
    long aId = a.createNode(createNode(fed.nodeA)).getNodeId();
    long bId = b.createNode(createNode(fed.nodeB)).getNodeId();
    Iterator<NodeMessage> stream = a.subscribeTasks(AuthFederation.subscribe(aId));
    CompletableFuture<Throwable> ended =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                stream.hasNext();
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    Thread.sleep(300);
    assertThat(ended).isNotDone();

    fed.writeKnownKeys(fed.nodeKeysFile, "node-b");

    assertDenied(ended.get(5, TimeUnit.SECONDS));
    assertThatThrownBy(() -> a.heartbeat(heartbeat(aId))).satisfies(KeyLifecycleTest::assertDenied);
    assertThatThrownBy(() -> a.createNode(createNode(fed.nodeA)))
        .satisfies(KeyLifecycleTest::assertDenied);
    assertThat(b.heartbeat(heartbeat(bId)).getHeartbeatIntervalMs()).isPositive();
  }

  @Test
  void addedKeyIsAcceptedAfterReloadRequest() throws Exception {
    fed.start(fed.authentication().build());
    FleetGrpc.FleetBlockingStub stranger = fed.fleet(signing(fed.signer(fed.stranger)));
    assertThatThrownBy(() -> stranger.createNode(createNode(fed.stranger)))
        .satisfies(KeyLifecycleTest::assertDenied);
    fed.writeKnownKeys(fed.nodeKeysFile, "node-a", "node-b", "stranger");
    assertThat(ReloadRequest.send(dir.resolve("superlink"), Duration.ofSeconds(5))).isTrue();
    assertThat(stranger.createNode(createNode(fed.stranger)).getNodeId()).isNotZero();
  }

  @Test
  void unparsableFileKeepsThePreviousList() throws Exception {
    fed.start(fed.authentication().build());
    FleetGrpc.FleetBlockingStub a = fed.fleet(signing(fed.signer(fed.nodeA)));
    long aId = a.createNode(createNode(fed.nodeA)).getNodeId();
    Files.writeString(fed.nodeKeysFile, "ecdsa-sha2-nistp384 AAAAnot-a-key\n");
    // The watcher takes a request at the start of a poll, one poll at a time: once the third is
    // taken, the two polls that applied the first request and its follow-up have finished.
    for (int i = 0; i < 3; i++) {
      assertThat(ReloadRequest.send(dir.resolve("superlink"), Duration.ofSeconds(30))).isTrue();
    }
    assertThat(a.heartbeat(heartbeat(aId)).getHeartbeatIntervalMs()).isPositive();
  }

  @Test
  void sameKeyGetsTheSameNodeIdAcrossSuperLinkRestarts() throws Exception {
    fed.start(fed.authentication().build());
    long first =
        fed.fleet(signing(fed.signer(fed.nodeA))).createNode(createNode(fed.nodeA)).getNodeId();
    fed.close();
    fed.start(fed.authentication().build());
    // A new signer stands for a restarted node: same key files, fresh process.
    long again =
        fed.fleet(signing(fed.signer(fed.nodeA))).createNode(createNode(fed.nodeA)).getNodeId();
    long other =
        fed.fleet(signing(fed.signer(fed.nodeB))).createNode(createNode(fed.nodeB)).getNodeId();
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void controlApiRequiresAResearcherKeyWhenAListIsGiven() throws Exception {
    fed.start(fed.authentication().build());
    ControlGrpc.ControlBlockingStub anonymous = ControlGrpc.newBlockingStub(fed.channel());
    ControlGrpc.ControlBlockingStub asNode =
        ControlGrpc.newBlockingStub(fed.channel(signing(fed.signer(fed.nodeA))));
    ControlGrpc.ControlBlockingStub asResearcher =
        ControlGrpc.newBlockingStub(fed.channel(signing(fed.signer(fed.researcher))));
    ListNodesRequest req = ListNodesRequest.getDefaultInstance();
    assertThatThrownBy(() -> anonymous.listNodes(req)).satisfies(KeyLifecycleTest::assertDenied);
    assertThatThrownBy(() -> asNode.listNodes(req)).satisfies(KeyLifecycleTest::assertDenied);
    assertThat(asResearcher.listNodes(req).getNodesList()).isEmpty();
    // A researcher key is not a node key.
    FleetGrpc.FleetBlockingStub researcherOnFleet = fed.fleet(signing(fed.signer(fed.researcher)));
    assertThatThrownBy(() -> researcherOnFleet.createNode(createNode(fed.researcher)))
        .satisfies(KeyLifecycleTest::assertDenied);
  }

  @Test
  void refusesToStartWithoutResearcherKeys() {
    assertThatThrownBy(() -> fed.authentication().researcherKeys(null).build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("--auth-list-researcher-public-keys")
        .hasMessageContaining("--allow-anonymous-control")
        .hasMessageContaining("Control API");
  }

  @Test
  void controlApiIsOpenOnlyWhenAnonymousControlIsAllowed() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger superlinkLog = (Logger) LoggerFactory.getLogger(SuperLink.class);
    superlinkLog.addAppender(log);
    try {
      fed.start(fed.authentication().researcherKeys(null).allowAnonymousControl(true).build());
    } finally {
      superlinkLog.detachAppender(log);
    }
    ControlGrpc.ControlBlockingStub anonymous = ControlGrpc.newBlockingStub(fed.channel());
    assertThat(anonymous.listNodes(ListNodesRequest.getDefaultInstance()).getNodesList()).isEmpty();
    assertThat(log.list)
        .anySatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("--allow-anonymous-control", "open to anyone");
            });
  }

  @Test
  void refusesAuthenticationWithoutTls() throws Exception {
    SuperLinkAuthentication auth = fed.authentication().build();
    assertThatThrownBy(
            () ->
                SuperLink.builder()
                    .address(new Endpoint("127.0.0.1", 0))
                    .insecure(true)
                    .home(dir.resolve("insecure"))
                    .authentication(auth)
                    .build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("requires TLS")
        .hasMessageContaining("--insecure");
  }

  @Test
  void refusesMismatchedKeyPair() {
    assertThatThrownBy(
            () ->
                SuperLinkAuthentication.builder()
                    .nodeKeys(fed.nodeKeysFile)
                    .superlinkKeys(fed.superlinkKey, fed.publicKeyFile("node-a"))
                    .researcherKeys(fed.researcherKeysFile)
                    .build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("does not belong to public key")
        .hasMessageContaining("--auth-superlink-private-key");
  }

  @Test
  void refusesUnparsableKnownKeysAtStart() throws Exception {
    Files.writeString(fed.nodeKeysFile, "# ok\nssh-rsa AAAAB3NzaC1yc2E\n");
    assertThatThrownBy(() -> fed.authentication().build())
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining(fed.nodeKeysFile.toString())
        .hasMessageContaining("2");
  }
}
