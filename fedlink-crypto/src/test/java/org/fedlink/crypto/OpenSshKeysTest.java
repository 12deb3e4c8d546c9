package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenSshKeysTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SshCurve.class)
  void generatedKeyIsWhatSshKeygenDerivesFromThePrivateKey(SshCurve curve) throws Exception {
    Path file = dir.resolve("node_" + curve.sshName());
    OpenSshPublicKey pub = OpenSshKeys.generate(file, curve, "node-1@site-a");

    String derived = SshKeygen.run("-y", "-f", file.toString()).strip();
    String written = Files.readString(OpenSshKeys.publicKeyFileOf(file)).strip();
    assertThat(written).isEqualTo(pub.toLine());
    assertThat(OpenSshPublicKey.parse(derived)).isEqualTo(pub);
    assertThat(derived.split(" ")[1]).isEqualTo(written.split(" ")[1]);
    assertThat(OpenSshKeys.matches(OpenSshPrivateKeyReader.read(file, null), pub)).isTrue();
  }

  @Test
  void generatesP384ByDefaultWithOwnerOnlyPermissions() throws Exception {
    Path file = dir.resolve("client_credentials");
    OpenSshPublicKey pub = OpenSshKeys.generate(file, (String) null, null);
    assertThat(pub.curve()).isEqualTo(SshCurve.NISTP384);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(SshKeygen.run("-l", "-f", file.toString())).startsWith("384 " + pub.fingerprint());
  }

  @Test
  void neverOverwritesAnExistingKey() throws Exception {
    Path file = dir.resolve("k");
    OpenSshKeys.generate(file, "nistp384", "first");
    String before = Files.readString(file);
    assertThatThrownBy(() -> OpenSshKeys.generate(file, "nistp384", "second"))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 384, 521})
  void readsKeysMadeBySshKeygen(int bits) throws Exception {
    Path file = dir.resolve("client_credentials_" + bits);
    SshKeygen.run(
        "-q", "-t", "ecdsa", "-b", Integer.toString(bits), "-N", "", "-f", file.toString());
    KeyPair pair = OpenSshKeys.loadPair(file, OpenSshKeys.publicKeyFileOf(file));
    assertThat(pair.getPrivate()).isInstanceOf(ECPrivateKey.class);
    assertThat(pair.getPublic()).isInstanceOf(ECPublicKey.class);
    assertThat(pair.getPrivate().getClass().getName()).startsWith("sun.security.ec.");
    assertThat(SshCurve.of((ECPublicKey) pair.getPublic()).bits()).isEqualTo(bits);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ecdsa_p256", "ecdsa_p384", "ecdsa_p521"})
  void readsCommittedSshKeygenFixtures(String name) throws Exception {
    Path priv = copy("keys/" + name);
    Path pub = copy("keys/" + name + ".pub");
    KeyPair pair = OpenSshKeys.loadPair(priv, pub);
    assertThat(OpenSshKeys.matches(pair, OpenSshPublicKey.read(pub))).isTrue();
    assertThat(OpenSshPublicKey.read(pub).comment()).startsWith("fixture-");
  }

  @Test
  void decryptsPassphraseProtectedKeyWithExplicitPassphrase() throws Exception {
    Path priv = copy("keys/ecdsa_p384_encrypted");
    Path pub = copy("keys/ecdsa_p384_encrypted.pub");
    KeyPair pair = OpenSshPrivateKeyReader.read(priv, "correct horse".toCharArray());
    assertThat(OpenSshKeys.matches(pair, OpenSshPublicKey.read(pub))).isTrue();
  }

  @Test
  void takesThePassphraseFromTheDocumentedEnvironmentVariable() throws Exception {
    Path priv = copy("keys/ecdsa_p384_encrypted");
    char[] pass =
        OpenSshPrivateKeyReader.passphraseFrom(
            java.util.Map.of("FEDLINK_KEY_PASSPHRASE", "correct horse"));
    assertThat(OpenSshPrivateKeyReader.read(priv, pass).getPrivate())
        .isInstanceOf(ECPrivateKey.class);
    assertThat(OpenSshPrivateKeyReader.passphraseFrom(java.util.Map.of())).isNull();
  }

  @Test
  void explainsHowToUnlockAPassphraseProtectedKey() throws Exception {
    Path priv = copy("keys/ecdsa_p384_encrypted");
    assertThatThrownBy(() -> OpenSshPrivateKeyReader.read(priv, null))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("passphrase-protected")
        .hasMessageContaining(OpenSshPrivateKeyReader.PASSPHRASE_ENV)
        .hasMessageContaining("ssh-keygen -p -N \"\" -f " + priv);
  }

  @Test
  void rejectsWrongPassphrase() throws Exception {
    Path priv = copy("keys/ecdsa_p384_encrypted");
    assertThatThrownBy(() -> OpenSshPrivateKeyReader.read(priv, "wrong".toCharArray()))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining(priv.toString())
        .hasMessageContaining("wrong passphrase");
  }

  @Test
  void decryptsKeyEncryptedBySshKeygenNow() throws Exception {
    Path file = dir.resolve("enc");
    SshKeygen.run("-q", "-t", "ecdsa", "-b", "384", "-N", "pässwörd 1", "-f", file.toString());
    KeyPair pair = OpenSshPrivateKeyReader.read(file, "pässwörd 1".toCharArray());
    assertThat(OpenSshKeys.matches(pair, OpenSshPublicKey.read(OpenSshKeys.publicKeyFileOf(file))))
        .isTrue();
  }

  @Test
  void reportsMismatchedPairWithBothFilesAndFingerprints() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    OpenSshPublicKey pubA = OpenSshKeys.generate(a, "nistp384", "a");
    OpenSshPublicKey pubB = OpenSshKeys.generate(b, "nistp384", "b");
    assertThat(OpenSshKeys.matches(OpenSshPrivateKeyReader.read(a, null), pubB)).isFalse();
    assertThatThrownBy(() -> OpenSshKeys.loadPair(a, OpenSshKeys.publicKeyFileOf(b)))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining(a.toString())
        .hasMessageContaining(b + ".pub")
        .hasMessageContaining(pubA.fingerprint())
        .hasMessageContaining(pubB.fingerprint());
  }

  @Test
  void rejectsOtherPemTypesNamingTheFile() throws Exception {
    Path pem = copy("keys/ecdh_a.pem");
    assertThatThrownBy(() -> OpenSshPrivateKeyReader.read(pem, null))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining(pem.toString())
        .hasMessageContaining("BEGIN OPENSSH PRIVATE KEY")
        .hasMessageContaining("'PRIVATE KEY'");
  }

  @Test
  void rejectsEd25519AndRsaKeys() throws Exception {
    for (String type : new String[] {"ed25519", "rsa"}) {
      Path file = dir.resolve(type);
      SshKeygen.run("-q", "-t", type, "-N", "", "-f", file.toString());
      assertThatThrownBy(() -> OpenSshPrivateKeyReader.read(file, null))
          .isInstanceOf(KeyFormatException.class)
          .hasMessageContaining("unsupported key type")
          .hasMessageContaining("ssh-keygen -t ecdsa -b 384");
      assertThatThrownBy(() -> OpenSshPublicKey.read(OpenSshKeys.publicKeyFileOf(file)))
          .isInstanceOf(KeyFormatException.class)
          .hasMessageContaining(":1: ");
    }
  }

  @Test
  void rejectsPrivateKeyWhosePublicPartWasSwapped() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    OpenSshKeys.generate(a, "nistp384", "");
    OpenSshPublicKey pubB = OpenSshKeys.generate(b, "nistp384", "");
    String pemA = Files.readString(a);
    byte[] body =
        java.util.Base64.getMimeDecoder().decode(pemA.replaceAll("-----[A-Z ]+-----", ""));
    byte[] pubBlobA = OpenSshPublicKey.read(OpenSshKeys.publicKeyFileOf(a)).blob();
    byte[] pubBlobB = pubB.blob();
    // The public section is the first copy of the blob in the file; replace it with b's.
    int at = indexOf(body, pubBlobA);
    System.arraycopy(pubBlobB, 0, body, at, pubBlobB.length);
    String tampered =
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(body)
            + "\n-----END OPENSSH PRIVATE KEY-----\n";
    assertThatThrownBy(() -> OpenSshPrivateKeyReader.parse(tampered, null, "tampered"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("does not match");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("blob not found");
  }

  private Path copy(String resource) throws Exception {
    Path out = dir.resolve(Path.of(resource).getFileName().toString());
    Files.writeString(out, EcdhKeyAgreementTest.resource(resource));
    return out;
  }
}
