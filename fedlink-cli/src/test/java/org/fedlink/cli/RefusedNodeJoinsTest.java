package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.superlink.SuperLink;
import org.fedlink.superlink.auth.SuperLinkAuthentication;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.auth.NodeAuthentication;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real SuperNode refused for an unknown key says why, retries, and joins once it is listed. */
class RefusedNodeJoinsTest {
  @TempDir Path dir;

  @Test
  void unknownNodeExplainsItselfAndJoinsWhenItsKeyIsAdded() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    Path linkKey = dir.resolve("keys/superlink");
    Path nodeKey = dir.resolve("keys/site-1");
    Files.createDirectories(linkKey.getParent());
    OpenSshKeys.generate(linkKey, "nistp384", "superlink");
    OpenSshPublicKey nodePublic = OpenSshKeys.generate(nodeKey, "nistp384", "site-1");
    Path known = dir.resolve("keys/known.csv");
    Files.writeString(known, "# no node yet\n");
    try (SuperLink link =
            SuperLink.builder()
                .address(new Endpoint("127.0.0.1", 0))
                .tls(tls.caCertificate(), tls.serverCertificate(), tls.serverKey())
                .home(dir.resolve("superlink"))
                .authentication(
                    SuperLinkAuthentication.builder()
                        .nodeKeys(known)
                        .superlinkKeys(linkKey, OpenSshKeys.publicKeyFileOf(linkKey))
                        .allowAnonymousControl(true)
                        .build())
                .build()
                .start();
        SuperNode node =
            SuperNode.builder()
                .superlink(new Endpoint("localhost", link.port()))
                .rootCertificates(tls.caCertificate())
                .home(dir.resolve("node"))
                .authentication(
                    NodeAuthentication.load(
                        nodeKey,
                        OpenSshKeys.publicKeyFileOf(nodeKey),
                        OpenSshKeys.publicKeyFileOf(linkKey)))
                .backoff(Duration.ofMillis(100), Duration.ofMillis(300))
                .build()
                .start()) {
      assertThat(node.awaitRegistered(Duration.ofSeconds(2))).isFalse();
      assertThat(node.lastError())
          .contains("access denied", "does not know this node's public key")
          .contains(nodePublic.fingerprint())
          .contains("--auth-list-public-keys")
          .contains(OpenSshKeys.publicKeyFileOf(nodeKey).toAbsolutePath().toString());

      Files.writeString(known, nodePublic.toLine() + "\n");

      assertThat(node.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      assertThat(node.nodeId()).isNotZero();
    }
  }
}
