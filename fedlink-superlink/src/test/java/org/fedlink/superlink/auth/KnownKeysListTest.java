package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenVerifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a changed known-keys file is applied, and what a bad file does. */
class KnownKeysListTest {
  @TempDir Path dir;
  private AuthFederation keys;
  private KnownKeysList list;
  private OpenSshPublicKey a;
  private OpenSshPublicKey b;

  @BeforeEach
  void setUp() throws Exception {
    keys = new AuthFederation(dir);
    list =
        KnownKeysList.load(
            keys.nodeKeysFile, "node", keys.superlinkPair, 10, Duration.ofSeconds(60));
    a = OpenSshPublicKey.read(keys.publicKeyFile("node-a"));
    b = OpenSshPublicKey.read(keys.publicKeyFile("node-b"));
  }

  @Test
  void appliesAChangeOnlyOnceSeenTwice() throws Exception {
    TokenVerifier before = list.verifier();
    keys.writeKnownKeys(keys.nodeKeysFile, "node-b");
    assertThat(list.poll()).isEmpty();
    assertThat(list.keys().contains(a)).isTrue();
    assertThat(list.poll()).containsExactly(a);
    assertThat(list.keys().contains(a)).isFalse();
    assertThat(list.keys().contains(b)).isTrue();
    assertThat(list.verifier()).isNotSameAs(before);
    assertThat(list.poll()).isEmpty();
  }

  @Test
  void forcedReloadAppliesAtOnce() throws Exception {
    keys.writeKnownKeys(keys.nodeKeysFile, "node-a", "stranger");
    assertThat(list.reload()).containsExactly(b);
    assertThat(list.keys().size()).isEqualTo(2);
  }

  @Test
  void keepsThePreviousListWhenTheFileBreaksOrVanishes() throws Exception {
    Files.writeString(keys.nodeKeysFile, "# fine\necdsa-sha2-nistp384 AAAA-broken\n");
    assertThat(list.reload()).isEmpty();
    assertThat(list.poll()).isEmpty();
    assertThat(list.poll()).isEmpty();
    assertThat(list.keys().keys()).containsExactlyInAnyOrder(a, b);
    Files.delete(keys.nodeKeysFile);
    assertThat(list.poll()).isEmpty();
    assertThat(list.reload()).isEmpty();
    assertThat(list.keys().keys()).containsExactlyInAnyOrder(a, b);
  }
}
