package org.fedlink.crypto.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateGeneratorTest {
  @TempDir Path dir;

  @Test
  void writesSelfSignedRsaCertificateWithEveryPromisedProperty() throws Exception {
    Instant before = Instant.now();
    Path certDir = dir.resolve("cert_NODE_1");
    GeneratedCertificate generated =
        CertificateGenerator.generate("NODE_1234", "localhost", certDir, false);

    assertThat(generated.privateKeyFile()).isEqualTo(certDir.resolve("MPC_certificate.key"));
    assertThat(generated.certificateFile()).isEqualTo(certDir.resolve("MPC_certificate.pem"));
    X509Certificate cert = PemFiles.readCertificate(generated.certificateFile());
    assertThat(cert).isEqualTo(generated.certificate());
    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    // Encoded in the order O, CN (as openssl prints it); X500Principal.getName() prints reversed.
    assertThat(subject(cert)).isEqualTo("O=NODE_1234,CN=localhost");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    cert.verify(cert.getPublicKey());
    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getSerialNumber().bitLength()).isEqualTo(128);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);

    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    assertThat(notBefore).isBetween(before.minus(Duration.ofMinutes(6)), Instant.now());
    Instant fiveYears = before.atOffset(ZoneOffset.UTC).plusYears(5).toInstant();
    assertThat(notAfter).isBetween(fiveYears.minusSeconds(2), fiveYears.plusSeconds(60));
    cert.checkValidity();

    assertThat(cert.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));

    String keyPem = Files.readString(generated.privateKeyFile());
    assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readString(generated.certificateFile()))
        .startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(generated.privateKeyFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certDir)))
        .isEqualTo("rwx------");

    PrivateKey key = PemFiles.readPrivateKey(generated.privateKeyFile());
    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    assertThat(((RSAPrivateCrtKey) key).getModulus())
        .isEqualTo(((RSAPublicKey) cert.getPublicKey()).getModulus());
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(cert);
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  void namesIpLiteralHostsAsIpAddresses() throws Exception {
    X509Certificate v4 =
        CertificateGenerator.generate("NODE_a", "10.1.2.3", dir.resolve("a"), false).certificate();
    assertThat(v4.getSubjectAlternativeNames()).containsExactly(List.of(7, "10.1.2.3"));
    assertThat(subject(v4)).isEqualTo("O=NODE_a,CN=10.1.2.3");

    X509Certificate dns =
        CertificateGenerator.generate("NODE_b", "node-b.example.org", dir.resolve("b"), false)
            .certificate();
    assertThat(dns.getSubjectAlternativeNames()).containsExactly(List.of(2, "node-b.example.org"));
  }

  @Test
  void namesIpv6LiteralAsIpAddress() {
    assertThat(CertificateGenerator.subjectAltNames("::1").getNames()[0].getTagNo()).isEqualTo(7);
    assertThat(CertificateGenerator.subjectAltNames("[fe80::1]").getNames()[0].getTagNo())
        .isEqualTo(7);
  }

  @Test
  void refusesToOverwriteWithoutForce() throws Exception {
    GeneratedCertificate first = CertificateGenerator.generate("NODE_x", "localhost", dir, false);
    String keyBefore = Files.readString(first.privateKeyFile());

    assertThatThrownBy(() -> CertificateGenerator.generate("NODE_x", "localhost", dir, false))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("MPC_certificate.key")
        .hasMessageContaining("--force")
        .hasMessageContaining("register the new certificate again");
    assertThat(Files.readString(first.privateKeyFile())).isEqualTo(keyBefore);
  }

  @Test
  void refusesWhenOnlyTheCertificateExists() throws Exception {
    Files.writeString(dir.resolve("MPC_certificate.pem"), "old");

    assertThatThrownBy(() -> CertificateGenerator.generate("NODE_x", "localhost", dir, false))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("MPC_certificate.pem");
    assertThat(Files.readString(dir.resolve("MPC_certificate.pem"))).isEqualTo("old");
  }

  @Test
  void forceRegeneratesANewKeyOwnerOnly() throws Exception {
    GeneratedCertificate first = CertificateGenerator.generate("NODE_x", "localhost", dir, false);
    GeneratedCertificate second = CertificateGenerator.generate("NODE_x", "localhost", dir, true);

    assertThat(second.certificate().getPublicKey())
        .isNotEqualTo(first.certificate().getPublicKey());
    assertThat(PemFiles.readCertificate(second.certificateFile())).isEqualTo(second.certificate());
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(second.privateKeyFile())))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("MPC_certificate.key", "MPC_certificate.pem");
    }
  }

  @Test
  void rejectsBlankIdOrHost() {
    assertThatThrownBy(() -> CertificateGenerator.generate(" ", "localhost", dir, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("componentId");
    assertThatThrownBy(() -> CertificateGenerator.generate("NODE_1", "", dir, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
  }

  private static String subject(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).toString();
  }
}
