package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyFingerprintTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ecdsa_p256", "ecdsa_p384", "ecdsa_p521"})
  void equalsSshKeygenListingOfFixture(String name) throws Exception {
    Path pub = dir.resolve(name + ".pub");
    Files.writeString(pub, EcdhKeyAgreementTest.resource("keys/" + name + ".pub"));
    String listed = SshKeygen.run("-l", "-E", "sha256", "-f", pub.toString());
    OpenSshPublicKey key = OpenSshPublicKey.read(pub);
    assertThat(listed.split(" ")[1]).isEqualTo(KeyFingerprint.of(key));
  }

  @Test
  void matchesKnownFingerprintOfCommittedKey() throws Exception {
    OpenSshPublicKey key =
        OpenSshPublicKey.parse(EcdhKeyAgreementTest.resource("keys/ecdsa_p384.pub"));
    // As printed once by: ssh-keygen -l -f src/test/resources/keys/ecdsa_p384.pub
    assertThat(KeyFingerprint.sha256(key.blob()))
        .isEqualTo("SHA256:axiTrx7dWn05S9yb2bjJAdAJnzyTPLLnbBZ8tN8o89I");
  }

  @Test
  void equalsSshKeygenListingOfFreshKeys() throws Exception {
    for (int i = 0; i < 5; i++) {
      Path file = dir.resolve("k" + i);
      OpenSshPublicKey key = OpenSshKeys.generate(file, SshCurve.values()[i % 3], "");
      String listed = SshKeygen.run("-l", "-f", file + ".pub");
      assertThat(listed.split(" ")[1]).isEqualTo(key.fingerprint());
      assertThat(key.fingerprint()).startsWith("SHA256:").doesNotEndWith("=").hasSize(50);
    }
  }
}
