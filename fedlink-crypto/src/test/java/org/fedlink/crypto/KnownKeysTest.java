package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownKeysTest {
  private static String p256;
  private static String p384;
  private static String p521;

  @BeforeAll
  static void loadKeys() throws Exception {
    p256 = EcdhKeyAgreementTest.resource("keys/ecdsa_p256.pub").strip();
    p384 = EcdhKeyAgreementTest.resource("keys/ecdsa_p384.pub").strip();
    p521 = EcdhKeyAgreementTest.resource("keys/ecdsa_p521.pub").strip();
  }

  @Test
  void readsFlowerCsvWithSeveralKeysPerLine(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("client_public_keys.csv");
    Files.writeString(csv, p256 + "," + p384 + "\n" + p521 + "\n");
    KnownKeys known = KnownKeys.read(csv);
    assertThat(known.size()).isEqualTo(3);
    assertThat(known.keys())
        .extracting(OpenSshPublicKey::keyType)
        .containsExactly("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");
  }

  @Test
  void readsOneKeyPerLineWithCommentsAndBlankLines() throws Exception {
    String text = "# nodes of site A\n\n" + p384 + "\r\n   # retired:\n" + p256 + "\n\n";
    KnownKeys known = KnownKeys.parse(text, "keys.txt");
    assertThat(known.size()).isEqualTo(2);
    assertThat(known.contains(OpenSshPublicKey.parse(p256))).isTrue();
  }

  @Test
  void findsKeysByBlobIgnoringComment() throws Exception {
    KnownKeys known = KnownKeys.parse(p384 + "\n", "keys");
    OpenSshPublicKey sameBlobOtherComment =
        OpenSshPublicKey.parse(p384.substring(0, p384.lastIndexOf(' ')) + " someone-else");
    assertThat(known.find(sameBlobOtherComment)).isPresent();
    assertThat(known.find(sameBlobOtherComment).get().comment()).isEqualTo("fixture-p384@fedlink");
    assertThat(known.find(OpenSshPublicKey.parse(p521))).isEmpty();
  }

  @Test
  void listsFingerprintsInFileOrderWithoutDuplicates() throws Exception {
    KnownKeys known = KnownKeys.parse(p521 + "\n" + p384 + ",\"" + p521 + "\",\n", "keys");
    List<String> fps = known.fingerprints();
    assertThat(fps)
        .containsExactly(
            OpenSshPublicKey.parse(p521).fingerprint(), OpenSshPublicKey.parse(p384).fingerprint());
    assertThatThrownBy(() -> known.keys().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fps.clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void namesFileLineAndProblemOfABadLine() {
    String text = "# header\n" + p384 + "\n" + p256 + ",ecdsa-sha2-nistp384 AAAA!!notbase64\n";
    assertThatThrownBy(() -> KnownKeys.parse(text, "/etc/fedlink/keys.csv"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageStartingWith("/etc/fedlink/keys.csv:3: key 2 of the line: ")
        .hasMessageContaining("base64")
        .satisfies(e -> assertThat(((KeyFormatException) e).lineNumber()).isEqualTo(3));
  }

  @Test
  void rejectsUnsupportedKeyTypeAndMismatchedTypeField() {
    String ed25519 =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2tGv+0uYKuHY6VnqTX0oNnY8ZQaJ2HTx/8spTpWZ8y x";
    assertThatThrownBy(() -> KnownKeys.parse(ed25519, "k"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("k:1:")
        .hasMessageContaining("ssh-ed25519");
    String relabelled = p256.replaceFirst("nistp256", "nistp384");
    assertThatThrownBy(() -> KnownKeys.parse("\n" + relabelled, "k"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("k:2:")
        .hasMessageContaining("does not match");
  }

  @Test
  void rejectsLineWithoutKeyField() {
    assertThatThrownBy(() -> KnownKeys.parse("ecdsa-sha2-nistp384\n", "k"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("k:1:")
        .hasMessageContaining("1 field");
  }

  @Test
  void rejectsPointNotOnCurve() throws Exception {
    OpenSshPublicKey key = OpenSshPublicKey.parse(p384);
    byte[] blob = key.blob();
    blob[blob.length - 1] ^= 1;
    String line = key.keyType() + " " + java.util.Base64.getEncoder().encodeToString(blob);
    assertThatThrownBy(() -> KnownKeys.parse(line, "k"))
        .isInstanceOf(KeyFormatException.class)
        .hasMessageContaining("not on the curve");
  }

  @Test
  void emptyFileHasNoKeys() throws Exception {
    assertThat(KnownKeys.parse("# nothing yet\n", "k").size()).isZero();
  }
}
