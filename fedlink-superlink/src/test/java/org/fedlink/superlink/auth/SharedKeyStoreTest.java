package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedlink.superlink.auth.AuthFederation.createNode;
import static org.fedlink.superlink.auth.AuthFederation.heartbeat;
import static org.fedlink.superlink.auth.AuthFederation.signing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.fedlink.crypto.EcdhKeyAgreement;
import org.fedlink.crypto.KeySeal;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.SharedKeys;
import org.fedlink.superlink.state.SqliteLinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared keys restored across restarts and derived ahead of the first call. */
class SharedKeyStoreTest {
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

  /** Waits for a condition the SuperLink reaches by itself, failing after a generous bound. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  private static SharedKeys nodeKeys(SuperLinkAuthentication auth) {
    return auth.nodeKeys().verifier().sharedKeys();
  }

  @Test
  void listedKeysAreDerivedAheadOfTheirFirstCall() throws Exception {
    SuperLinkAuthentication auth = fed.authentication().build();
    fed.start(auth);

    await("both listed node keys are derived", () -> nodeKeys(auth).size() == 2);
    long derivedAhead = nodeKeys(auth).derivations();
    long id =
        fed.fleet(signing(fed.signer(fed.nodeA))).createNode(createNode(fed.nodeA)).getNodeId();

    assertThat(id).isPositive();
    assertThat(derivedAhead).isEqualTo(2);
    assertThat(nodeKeys(auth).derivations()).isEqualTo(2);
  }

  @Test
  void aListedNodesFirstCallAfterRestartDoesNotDerive() throws Exception {
    SuperLinkAuthentication first = fed.authentication().build();
    fed.start(first);
    long id =
        fed.fleet(signing(fed.signer(fed.nodeA))).createNode(createNode(fed.nodeA)).getNodeId();
    await("both listed node keys are derived", () -> nodeKeys(first).size() == 2);
    fed.close();

    // A new process: its key lists read again, nothing in memory.
    SuperLinkAuthentication second = fed.authentication().build();
    fed.start(second);
    var node = fed.fleet(signing(fed.signer(fed.nodeA)));
    long again = node.createNode(createNode(fed.nodeA)).getNodeId();
    node.heartbeat(heartbeat(again));
    long other =
        fed.fleet(signing(fed.signer(fed.nodeB))).createNode(createNode(fed.nodeB)).getNodeId();

    assertThat(again).isEqualTo(id);
    assertThat(other).isNotEqualTo(id);
    assertThat(nodeKeys(second).derivations()).isZero();
    assertThat(second.researcherKeys().verifier().sharedKeys().derivations()).isZero();
  }

  @Test
  void theStateHoldsSealedKeysNeverTheKeysInClear() throws Exception {
    SuperLinkAuthentication auth = fed.authentication().build();
    fed.start(auth);
    await("both listed node keys are derived", () -> nodeKeys(auth).size() == 2);
    fed.close();

    // The node's side of the key agreement: what must not be readable from the SuperLink's files.
    byte[] keyA = EcdhKeyAgreement.deriveKey(fed.nodeA.getPrivate(), fed.superlinkPair.getPublic());
    byte[] keyB = EcdhKeyAgreement.deriveKey(fed.nodeB.getPrivate(), fed.superlinkPair.getPublic());
    try (var files = Files.list(dir.resolve("superlink"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(f);
        assertThat(indexOf(content, keyA)).as("key of node A in %s", f).isEqualTo(-1);
        assertThat(indexOf(content, keyB)).as("key of node B in %s", f).isEqualTo(-1);
      }
    }
    KeySeal seal = KeySeal.of(fed.superlinkPair);
    OpenSshPublicKey a = OpenSshPublicKey.read(fed.publicKeyFile("node-a"));
    try (SqliteLinkState state = SqliteLinkState.open(dir.resolve("superlink/superlink.sqlite"))) {
      Map<String, byte[]> sealed = state.sealedSharedKeys(seal.owner());
      // Two nodes and two researchers.
      assertThat(sealed).hasSize(4);
      assertThat(seal.open(a, sealed.get(a.fingerprint()))).isEqualTo(keyA);
    }
  }

  @Test
  void sealedKeysOfRemovedKeysAndOfAnotherSuperLinkKeyGoAtTheNextStart() throws Exception {
    SuperLinkAuthentication auth = fed.authentication().build();
    fed.start(auth);
    await("both listed node keys are derived", () -> nodeKeys(auth).size() == 2);
    fed.close();
    Path stateFile = dir.resolve("superlink/superlink.sqlite");
    try (SqliteLinkState state = SqliteLinkState.open(stateFile)) {
      state.saveSealedSharedKeys("SHA256:another-superlink-key", Map.of("SHA256:x", new byte[61]));
    }
    fed.writeKnownKeys(fed.nodeKeysFile, "node-a");

    SuperLinkAuthentication second = fed.authentication().build();
    fed.start(second);
    fed.close();

    OpenSshPublicKey a = OpenSshPublicKey.read(fed.publicKeyFile("node-a"));
    OpenSshPublicKey b = OpenSshPublicKey.read(fed.publicKeyFile("node-b"));
    try (SqliteLinkState state = SqliteLinkState.open(stateFile)) {
      String owner = second.keySeal().owner();
      assertThat(state.sealedSharedKeys(owner).keySet())
          .contains(a.fingerprint())
          .doesNotContain(b.fingerprint());
      assertThat(state.sealedSharedKeys("SHA256:another-superlink-key")).isEmpty();
      assertThat(state.retainSealedSharedKeys(owner, Set.of())).isEqualTo(3);
    }
    assertThat(nodeKeys(second).derivations()).isZero();
  }

  @Test
  void aSealedKeyThatDoesNotOpenIsDerivedAgain() throws Exception {
    SuperLinkAuthentication auth = fed.authentication().build();
    fed.start(auth);
    await("both listed node keys are derived", () -> nodeKeys(auth).size() == 2);
    fed.close();
    OpenSshPublicKey a = OpenSshPublicKey.read(fed.publicKeyFile("node-a"));
    Path stateFile = dir.resolve("superlink/superlink.sqlite");
    try (SqliteLinkState state = SqliteLinkState.open(stateFile)) {
      String owner = auth.keySeal().owner();
      byte[] damaged = state.sealedSharedKeys(owner).get(a.fingerprint());
      damaged[20] ^= 1;
      state.saveSealedSharedKeys(owner, Map.of(a.fingerprint(), damaged));
    }

    SuperLinkAuthentication second = fed.authentication().build();
    fed.start(second);
    long id =
        fed.fleet(signing(fed.signer(fed.nodeA))).createNode(createNode(fed.nodeA)).getNodeId();

    assertThat(id).isPositive();
    assertThat(nodeKeys(second).derivations()).isEqualTo(1);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
