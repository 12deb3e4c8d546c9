package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.auth.ResearcherAuthentication;
import org.fedlink.superlink.SuperLink;
import org.fedlink.superlink.auth.SuperLinkAuthentication;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.auth.NodeAuthentication;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SuperNode and a real researcher learn the SuperLink's authentication key over the
 * CA-verified TLS connection: they join with only their own key pair, and a pinned key that differs
 * from the SuperLink's is refused with both fingerprints.
 */
class SuperLinkKeyOverTlsTest {
  @TempDir Path dir;
  private DevelopmentCa.CaFiles tls;
  private Path nodeKey;
  private Path researcherKey;
  private OpenSshPublicKey linkPublic;
  private OpenSshPublicKey otherPublic;
  private Path otherKey;
  private SuperLink link;

  @BeforeEach
  void start() throws Exception {
    tls = DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    Path linkKey = dir.resolve("keys/superlink");
    nodeKey = dir.resolve("keys/site-1");
    researcherKey = dir.resolve("keys/researcher");
    otherKey = dir.resolve("keys/not-the-superlink");
    Files.createDirectories(linkKey.getParent());
    linkPublic = OpenSshKeys.generate(linkKey, "nistp384", "superlink");
    otherPublic = OpenSshKeys.generate(otherKey, "nistp384", "other");
    OpenSshPublicKey node = OpenSshKeys.generate(nodeKey, "nistp384", "site-1");
    OpenSshPublicKey researcher = OpenSshKeys.generate(researcherKey, "nistp384", "researcher");
    Files.writeString(dir.resolve("keys/known_nodes"), node.toLine() + "\n");
    Files.writeString(dir.resolve("keys/known_researchers"), researcher.toLine() + "\n");
    link = startSuperLink(0, linkKey);
  }

  private SuperLink startSuperLink(int port, Path key) {
    return SuperLink.builder()
        .address(new Endpoint("127.0.0.1", port))
        .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
        .home(dir.resolve("superlink"))
        .heartbeatInterval(Duration.ofMillis(200))
        .authentication(
            SuperLinkAuthentication.builder()
                .nodeKeys(dir.resolve("keys/known_nodes"))
                .researcherKeys(dir.resolve("keys/known_researchers"))
                .superlinkKeys(key, OpenSshKeys.publicKeyFileOf(key))
                .build())
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    link.close();
  }

  private SuperNode node(Path pin) {
    return SuperNode.builder()
        .superlink(new Endpoint("localhost", link.port()))
        .rootCertificates(tls.caCertificate())
        .home(dir.resolve("node"))
        .authentication(NodeAuthentication.load(nodeKey, OpenSshKeys.publicKeyFileOf(nodeKey), pin))
        .backoff(Duration.ofMillis(100), Duration.ofMillis(300))
        .build()
        .start();
  }

  private ControlConnection researcher(Path pin) {
    ResearcherAuthentication auth =
        ResearcherAuthentication.load(
            researcherKey, OpenSshKeys.publicKeyFileOf(researcherKey), pin);
    return new ControlConnection(
        new Endpoint("localhost", link.port()),
        tls.caCertificate(),
        List.of(auth.interceptor()),
        Duration.ofSeconds(5));
  }

  @Test
  void nodeJoinsWithoutAPinnedKey() throws Exception {
    try (SuperNode node = node(null)) {
      assertThat(node.awaitRegistered(Duration.ofSeconds(20))).isTrue();
      assertThat(node.nodeId()).isNotZero();
    }
  }

  @Test
  void nodeJoinsWithTheRightPin() throws Exception {
    Path link = dir.resolve("keys/superlink.pub");
    try (SuperNode node = node(link)) {
      assertThat(node.awaitRegistered(Duration.ofSeconds(20))).isTrue();
    }
  }

  @Test
  void nodeRefusesAWrongPinNamingBothFingerprints() throws Exception {
    Path wrongPin = OpenSshKeys.publicKeyFileOf(otherKey);
    try (SuperNode node = node(wrongPin)) {
      assertThat(node.awaitRegistered(Duration.ofSeconds(2))).isFalse();
      assertThat(node.lastError())
          .contains(linkPublic.fingerprint(), otherPublic.fingerprint())
          .contains("--auth-superlink-public-key", wrongPin.toString());
    }
    // The SuperLink never heard from it: no node was registered.
    try (ControlConnection c = researcher(null)) {
      assertThat(c.listNodes()).isEmpty();
    }
  }

  @Test
  void nodeFollowsASuperLinkRestartedWithANewKey() throws Exception {
    try (SuperNode node = node(null)) {
      assertThat(node.awaitRegistered(Duration.ofSeconds(20))).isTrue();
      long id = node.nodeId();
      int port = link.port();
      link.close();
      awaitLastError(node, e -> e != null);
      link = startSuperLink(port, otherKey);
      // Refused once under the old key, the node asks for the new one and rejoins as itself.
      awaitLastError(node, e -> e == null);
      assertThat(node.nodeId()).isEqualTo(id);
    }
  }

  private static void awaitLastError(SuperNode node, Predicate<String> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.test(node.lastError())) {
      assertThat(System.nanoTime())
          .as("node state in time: " + node.lastError())
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void researcherWorksWithoutAPinnedKey() {
    try (ControlConnection c = researcher(null)) {
      assertThat(c.listNodes()).isEmpty();
    }
  }

  @Test
  void researcherRefusesAWrongPinNamingBothFingerprints() {
    try (ControlConnection c = researcher(OpenSshKeys.publicKeyFileOf(otherKey))) {
      assertThatThrownBy(c::listNodes)
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining(linkPublic.fingerprint())
          .hasMessageContaining(otherPublic.fingerprint());
    }
  }
}
