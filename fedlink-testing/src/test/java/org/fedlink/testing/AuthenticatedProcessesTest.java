package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedlink.cli.demo.ChildProcesses;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.tls.DevelopmentCa;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.auth.ResearcherAuthentication;
import org.fedlink.transport.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node authentication as a user runs it, each party a separate JVM started through the CLI: a
 * SuperNode given only the CA file and its own key pair learns the SuperLink's key over TLS and
 * joins; a researcher does the same.
 */
class AuthenticatedProcessesTest {
  @TempDir Path dir;

  @Test
  void nodeJoinsWithOnlyTheCaFileAndItsOwnKeys() throws Exception {
    DevelopmentCa.CaFiles tls =
        DevelopmentCa.create(dir.resolve("certs"), List.of("localhost", "127.0.0.1"));
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path linkKey = keys.resolve("superlink");
    Path nodeKey = keys.resolve("site-1");
    Path researcherKey = keys.resolve("researcher");
    OpenSshKeys.generate(linkKey, "nistp384", "superlink");
    OpenSshPublicKey node = OpenSshKeys.generate(nodeKey, "nistp384", "site-1");
    OpenSshPublicKey researcher = OpenSshKeys.generate(researcherKey, "nistp384", "researcher");
    Files.writeString(keys.resolve("known_supernodes.csv"), node.toLine() + "\n");
    Files.writeString(keys.resolve("known_researchers.csv"), researcher.toLine() + "\n");
    int port = SuperLinkProcessArgs.freeLoopbackPort();
    String address = "127.0.0.1:" + port;
    ChildProcesses children = new ChildProcesses();
    try {
      SuperLinkProcessArgs.startListening(
          children,
          SuperLinkProcessArgs.start(
              address,
              tls,
              dir.resolve("superlink"),
              "--auth-list-public-keys",
              keys.resolve("known_supernodes.csv").toString(),
              "--auth-superlink-private-key",
              linkKey.toString(),
              "--auth-superlink-public-key",
              linkKey + ".pub",
              "--auth-list-researcher-public-keys",
              keys.resolve("known_researchers.csv").toString()),
          dir.resolve("logs/superlink.log"));
      children.start(
          "supernode",
          List.of(
              "supernode",
              "start",
              "--superlink",
              "localhost:" + port,
              "--root-certificates",
              tls.caCertificate().toString(),
              "--home",
              dir.resolve("node").toString(),
              "--auth-supernode-private-key",
              nodeKey.toString(),
              "--auth-supernode-public-key",
              nodeKey + ".pub"),
          dir.resolve("logs/supernode.log"));

      ResearcherAuthentication auth =
          ResearcherAuthentication.load(
              researcherKey, OpenSshKeys.publicKeyFileOf(researcherKey), null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      try (ControlConnection c =
          new ControlConnection(
              new Endpoint("localhost", port),
              tls.caCertificate(),
              List.of(auth.interceptor()),
              Duration.ofSeconds(60))) {
        while (true) {
          children.requireAllAlive();
          List<Node> nodes = c.listNodes();
          if (nodes.stream().anyMatch(Node::getOnline)) {
            assertThat(nodes)
                .singleElement()
                .satisfies(n -> assertThat(n.getKeyFingerprint()).isEqualTo(node.fingerprint()));
            return;
          }
          assertThat(System.nanoTime()).as("node online in time").isLessThan(deadline);
          Thread.sleep(100);
        }
      }
    } finally {
      children.stopAll();
    }
  }
}
