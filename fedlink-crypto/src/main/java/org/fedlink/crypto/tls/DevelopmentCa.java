package org.fedlink.crypto.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for development and demos: a CA certificate and a server
 * certificate it signs for the given host names and IP addresses (ECDSA P-256, SHA256withECDSA).
 * Production deployments use certificates from their own CA.
 *
 * <p>Files written: {@code ca.pem}, {@code ca.key}, {@code server.pem}, {@code server.key}; keys
 * are unencrypted PKCS#8 PEM, owner-only (0600).
 */
public final class DevelopmentCa {
  /** Validity of the development certificates. */
  public static final Duration VALIDITY = Duration.ofDays(365);

  private DevelopmentCa() {}

  /**
   * The files of a generated development CA.
   *
   * @param caCertificate the CA certificate, for {@code --root-certificates}
   * @param serverCertificate the server certificate, for {@code --ssl-certfile}
   * @param serverKey the server key, for {@code --ssl-keyfile}
   * @param caKey the CA key (keep it away from everyone; only needed to sign more certificates)
   */
  public record CaFiles(Path caCertificate, Path caKey, Path serverCertificate, Path serverKey) {}

  /**
   * Creates a CA and a server certificate for {@code hosts} (names or IP literals) in {@code dir}.
   *
   * @throws GeneralSecurityException if key generation or signing fails
   * @throws IOException if the files cannot be written
   */
  public static CaFiles create(Path dir, List<String> hosts)
      throws GeneralSecurityException, IOException {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("at least one host name is required");
    }
    Files.createDirectories(dir);
    KeyPair ca = newKeyPair();
    KeyPair server = newKeyPair();
    Instant now = Instant.now();
    X500Name caName = new X500Name("CN=Fedlink development CA, O=Fedlink");
    X509Certificate caCert =
        sign(
            new JcaX509v3CertificateBuilder(
                    caName,
                    serial(),
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)),
                    caName,
                    ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(ca.getPublic())),
            ca.getPrivate());
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      names.add(
          isIpLiteral(h)
              ? new GeneralName(GeneralName.iPAddress, h)
              : new GeneralName(GeneralName.dNSName, h));
    }
    X509Certificate serverCert =
        sign(
            new JcaX509v3CertificateBuilder(
                    caCert,
                    serial(),
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)),
                    new X500Name("CN=" + hosts.get(0) + ", O=Fedlink"),
                    server.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                .addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(names.toArray(new GeneralName[0])))
                .addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert)),
            ca.getPrivate());
    CaFiles files =
        new CaFiles(
            dir.resolve("ca.pem"),
            dir.resolve("ca.key"),
            dir.resolve("server.pem"),
            dir.resolve("server.key"));
    writePem(files.caCertificate(), "CERTIFICATE", caCert.getEncoded(), false);
    writePem(files.caKey(), "PRIVATE KEY", ca.getPrivate().getEncoded(), true);
    writePem(files.serverCertificate(), "CERTIFICATE", serverCert.getEncoded(), false);
    writePem(files.serverKey(), "PRIVATE KEY", server.getPrivate().getEncoded(), true);
    return files;
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign certificate: " + e.getMessage(), e);
    }
  }

  private static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void writePem(Path file, String type, byte[] der, boolean secret)
      throws IOException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    Files.deleteIfExists(file);
    if (secret) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }
}
