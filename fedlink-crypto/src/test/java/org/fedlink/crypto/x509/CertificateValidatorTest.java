package org.fedlink.crypto.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateValidatorTest {
  @TempDir Path dir;

  @Test
  void acceptsAFreshCertificateForItsComponent() throws Exception {
    GeneratedCertificate generated =
        CertificateGenerator.generate("RESEARCHER_9", "10.0.0.7", dir, false);

    PartyCertificate party = CertificateValidator.load(generated.certificateFile(), "RESEARCHER_9");

    assertThat(party.componentId()).isEqualTo("RESEARCHER_9");
    assertThat(party.host()).isEqualTo("10.0.0.7");
    assertThat(party.publicKey()).isEqualTo(generated.certificate().getPublicKey());
    assertThat(party.notAfter()).isEqualTo(generated.certificate().getNotAfter().toInstant());
  }

  @Test
  void refusesCertificateOfAnotherComponentShowingBothIds() throws Exception {
    GeneratedCertificate generated =
        CertificateGenerator.generate("NODE_a", "localhost", dir, false);

    assertThatThrownBy(() -> CertificateValidator.load(generated.certificateFile(), "NODE_b"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("O = NODE_a")
        .hasMessageContaining("component id NODE_b");
  }

  @Test
  void refusesExpiredCertificateWithItsDates() throws Exception {
    Instant sixYearsAgo = Instant.now().minus(Duration.ofDays(6 * 366));
    X509Certificate old =
        CertificateGenerator.generate(
                "NODE_a", "localhost", dir, false, sixYearsAgo, new SecureRandom())
            .certificate();
    Instant now = Instant.now();

    assertThatThrownBy(() -> CertificateValidator.validate(old, "NODE_a", now))
        .isInstanceOf(CertificateExpiredException.class)
        .hasMessageContaining("expired on " + old.getNotAfter().toInstant())
        .hasMessageContaining("now " + now);
  }

  @Test
  void refusesNotYetValidCertificateWithItsDates() throws Exception {
    Instant tomorrow = Instant.now().plus(Duration.ofDays(1));
    X509Certificate future =
        CertificateGenerator.generate(
                "NODE_a", "localhost", dir, false, tomorrow, new SecureRandom())
            .certificate();

    assertThatThrownBy(() -> CertificateValidator.validate(future, "NODE_a", Instant.now()))
        .isInstanceOf(CertificateNotYetValidException.class)
        .hasMessageContaining("not valid before " + future.getNotBefore().toInstant());
  }

  @Test
  void refusesMalformedFiles() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello, I am not a certificate\n");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    Path truncated =
        Files.writeString(
            dir.resolve("truncated.pem"),
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path binary =
        Files.write(dir.resolve("binary.pem"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    GeneratedCertificate generated =
        CertificateGenerator.generate("NODE_a", "localhost", dir, false);

    for (Path bad : new Path[] {garbage, empty, truncated, binary}) {
      assertThatThrownBy(() -> CertificateValidator.load(bad, "NODE_a"))
          .as(bad.toString())
          .isInstanceOf(CertificateException.class)
          .hasMessageContaining(bad.toString());
    }
    assertThatThrownBy(() -> CertificateValidator.load(generated.privateKeyFile(), "NODE_a"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("is not a PEM certificate");
    assertThatThrownBy(() -> CertificateValidator.load(dir.resolve("missing.pem"), "NODE_a"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void refusesNonKeyFilesAsPrivateKeys() throws Exception {
    GeneratedCertificate generated =
        CertificateGenerator.generate("NODE_a", "localhost", dir, false);
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key");

    assertThatThrownBy(() -> PemFiles.readPrivateKey(generated.certificateFile()))
        .isInstanceOf(InvalidKeySpecException.class)
        .hasMessageContaining("is not an unencrypted PEM private key");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(garbage))
        .isInstanceOf(InvalidKeySpecException.class)
        .hasMessageContaining("garbage.key");
  }

  @Test
  void refusesShortRsaKeys() throws Exception {
    X509Certificate weak = selfSigned(1024, "O=NODE_w, CN=localhost");

    assertThatThrownBy(() -> CertificateValidator.validate(weak, "NODE_w", Instant.now()))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("1024-bit RSA key")
        .hasMessageContaining("2048");
  }

  @Test
  void refusesSubjectWithoutExactlyOneOrganization() throws Exception {
    X509Certificate none = selfSigned(2048, "CN=localhost");
    X509Certificate two = selfSigned(2048, "O=NODE_w, O=NODE_v, CN=localhost");

    assertThatThrownBy(() -> CertificateValidator.validate(none, "NODE_w", Instant.now()))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("exactly one O");
    assertThatThrownBy(() -> CertificateValidator.validate(two, "NODE_w", Instant.now()))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("found 2");
  }

  private static X509Certificate selfSigned(int bits, String subject) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name(subject);
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.ONE,
            Date.from(now.minusSeconds(60)),
            Date.from(now.plusSeconds(3600)),
            name,
            keys.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
  }
}
