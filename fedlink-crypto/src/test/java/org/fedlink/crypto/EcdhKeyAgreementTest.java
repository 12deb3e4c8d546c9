package org.fedlink.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EcdhKeyAgreementTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Computed once with: openssl pkeyutl -derive -inkey ecdh_a.pem -peerkey ecdh_b.pub.pem. */
  private static final String OPENSSL_P384_SECRET =
      "3f72ee324b54921544a0cd8dd65aa74c580e8e50c2a8ad76f212f2ae79fbed16"
          + "2a977cdaf70ea8c0b9a3b391e8eabc53";

  @ParameterizedTest
  @CsvSource({
    "ecdh_secp256r1_test.json, NISTP256",
    "ecdh_secp384r1_test.json, NISTP384",
    "ecdh_secp521r1_test.json, NISTP521"
  })
  void passesEveryWycheproofCase(String file, SshCurve curve) throws Exception {
    List<Wycheproof.Case> cases = Wycheproof.cases(file);
    int valid = 0;
    int invalid = 0;
    for (Wycheproof.Case c : cases) {
      assertThat(c.group().get("curve")).isEqualTo(curve.standardName());
      PrivateKey own =
          KeyFactory.getInstance("EC")
              .generatePrivate(
                  new ECPrivateKeySpec(new BigInteger(1, c.hex("private")), curve.params()));
      byte[] secret;
      try {
        PublicKey peer = KeyFactory.getInstance("EC").generatePublic(spki(c.hex("public")));
        secret = EcdhKeyAgreement.sharedSecret(own, peer);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        secret = null;
      }
      switch (c.result()) {
        case "valid" -> {
          assertThat(secret).as(c.toString()).isEqualTo(c.hex("shared"));
          valid++;
        }
        case "invalid" -> {
          assertThat(secret).as(c.toString()).isNull();
          invalid++;
        }
        default -> {
          if (secret != null) {
            assertThat(secret).as(c.toString()).isEqualTo(c.hex("shared"));
          }
        }
      }
    }
    assertThat(valid).isPositive();
    assertThat(invalid).isPositive();
  }

  @Test
  void rejectsPointNotOnTheCurve() throws Exception {
    KeyPair own = generate(SshCurve.NISTP384);
    ECPublicKey good = (ECPublicKey) generate(SshCurve.NISTP384).getPublic();
    ECPoint off =
        new ECPoint(good.getW().getAffineX(), good.getW().getAffineY().add(BigInteger.ONE));
    PublicKey bad =
        KeyFactory.getInstance("EC")
            .generatePublic(new ECPublicKeySpec(off, SshCurve.NISTP384.params()));
    assertThatThrownBy(() -> EcdhKeyAgreement.deriveKey(own.getPrivate(), bad))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("not on the curve");
  }

  @Test
  void rejectsPeerKeyOnAnotherCurve() throws Exception {
    KeyPair own = generate(SshCurve.NISTP384);
    KeyPair peer = generate(SshCurve.NISTP256);
    assertThatThrownBy(() -> EcdhKeyAgreement.deriveKey(own.getPrivate(), peer.getPublic()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("nistp384");
  }

  @Test
  void bothSidesDeriveTheSame32ByteKey() throws Exception {
    for (SshCurve curve : SshCurve.values()) {
      KeyPair a = generate(curve);
      KeyPair b = generate(curve);
      byte[] ab = EcdhKeyAgreement.deriveKey(a.getPrivate(), b.getPublic());
      byte[] ba = EcdhKeyAgreement.deriveKey(b.getPrivate(), a.getPublic());
      assertThat(ab).hasSize(32).isEqualTo(ba);
      KeyPair c = generate(curve);
      assertThat(EcdhKeyAgreement.deriveKey(a.getPrivate(), c.getPublic())).isNotEqualTo(ab);
    }
  }

  @Test
  void matchesOpensslDeriveForFixedP384Keys() throws Exception {
    PrivateKey a = pkcs8(resource("keys/ecdh_a.pem"));
    PublicKey b =
        KeyFactory.getInstance("EC").generatePublic(spki(pem(resource("keys/ecdh_b.pub.pem"))));
    assertThat(HEX.formatHex(EcdhKeyAgreement.sharedSecret(a, b))).isEqualTo(OPENSSL_P384_SECRET);
    PrivateKey bPriv = pkcs8(resource("keys/ecdh_b.pem"));
    PublicKey aPub =
        KeyFactory.getInstance("EC").generatePublic(spki(pem(resource("keys/ecdh_a.pub.pem"))));
    assertThat(HEX.formatHex(EcdhKeyAgreement.sharedSecret(bPriv, aPub)))
        .isEqualTo(OPENSSL_P384_SECRET);
    byte[] expectedKey =
        Hkdf.derive(
            EcdhKeyAgreement.SALT.getBytes(StandardCharsets.US_ASCII),
            HEX.parseHex(OPENSSL_P384_SECRET),
            EcdhKeyAgreement.INFO.getBytes(StandardCharsets.US_ASCII),
            32);
    assertThat(EcdhKeyAgreement.deriveKey(a, b)).isEqualTo(expectedKey);
  }

  @Test
  void matchesOpenssl(@TempDir Path dir) throws Exception {
    Path openssl = findOnPath("openssl");
    assertThat(openssl).as("openssl is needed by this known-answer cross-check").isNotNull();
    Path a = dir.resolve("a.pem");
    Path b = dir.resolve("b.pub.pem");
    Files.writeString(a, resource("keys/ecdh_a.pem"));
    Files.writeString(b, resource("keys/ecdh_b.pub.pem"));
    Process p =
        new ProcessBuilder(
                openssl.toString(),
                "pkeyutl",
                "-derive",
                "-inkey",
                a.toString(),
                "-peerkey",
                b.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(HEX.formatHex(out)).isEqualTo(OPENSSL_P384_SECRET);
  }

  static Path findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static KeyPair generate(SshCurve curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(curve.params());
    return g.generateKeyPair();
  }

  private static X509EncodedKeySpec spki(byte[] der) {
    return new X509EncodedKeySpec(der);
  }

  private static PrivateKey pkcs8(String pemText) throws GeneralSecurityException {
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(pemText)));
  }

  private static byte[] pem(String text) {
    String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  static String resource(String name) throws Exception {
    try (InputStream in = EcdhKeyAgreementTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
