package org.fedlink.crypto.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
import org.bouncycastle.util.IPAddress;

/**
 * Creates a component's MPC certificate: an RSA-2048 key pair and a self-signed X.509 v3
 * certificate (SHA256withRSA, valid five years, subject {@code O=<component id>, CN=<host>}, a
 * subjectAltName for the host), written as {@value #PRIVATE_KEY_FILE} (PKCS#8 PEM, owner-only) and
 * {@value #CERTIFICATE_FILE}, the files Fed-BioMed users know.
 *
 * <p>Stateless and thread-safe. Two generations into the same directory at once are not
 * coordinated; callers serialise them (the workspace creator holds a lock).
 */
public final class CertificateGenerator {
  /** File name of the private key inside a certificate directory. */
  public static final String PRIVATE_KEY_FILE = "MPC_certificate.key";

  /** File name of the certificate inside a certificate directory. */
  public static final String CERTIFICATE_FILE = "MPC_certificate.pem";

  /** Key size of generated RSA keys. */
  public static final int RSA_KEY_BITS = 2048;

  /** Validity of a generated certificate, in years from its generation. */
  public static final int VALIDITY_YEARS = 5;

  /** How far before "now" validity starts, so that a peer whose clock lags still accepts it. */
  static final long CLOCK_SKEW_MINUTES = 5;

  private CertificateGenerator() {}

  /**
   * Generates a key pair and certificate for {@code componentId} reachable at {@code host}, and
   * writes them into {@code dir} (created if missing).
   *
   * @param host a DNS name or an IP literal; {@code localhost} also gets DNS {@code localhost} and
   *     IP {@code 127.0.0.1} in the subjectAltName
   * @param force overwrite existing files; other parties must then register the new certificate
   * @throws FileAlreadyExistsException if a key or certificate exists in {@code dir} and {@code
   *     force} is false
   * @throws IOException if the files cannot be written
   * @throws GeneralSecurityException if the JDK cannot generate or sign (should not happen)
   * @throws IllegalArgumentException if {@code componentId} or {@code host} is blank
   */
  public static GeneratedCertificate generate(
      String componentId, String host, Path dir, boolean force)
      throws IOException, GeneralSecurityException {
    return generate(componentId, host, dir, force, Instant.now(), new SecureRandom());
  }

  static GeneratedCertificate generate(
      String componentId, String host, Path dir, boolean force, Instant now, SecureRandom random)
      throws IOException, GeneralSecurityException {
    requireText(componentId, "componentId");
    requireText(host, "host");
    Objects.requireNonNull(dir, "dir");
    Path keyFile = dir.resolve(PRIVATE_KEY_FILE);
    Path certFile = dir.resolve(CERTIFICATE_FILE);
    if (!force) {
      for (Path existing : List.of(keyFile, certFile)) {
        if (Files.exists(existing)) {
          throw new FileAlreadyExistsException(
              existing.toString(),
              null,
              "a certificate already exists for "
                  + componentId
                  + "; use --force to regenerate it, after which every other party must register"
                  + " the new certificate again");
        }
      }
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(RSA_KEY_BITS, random);
    KeyPair keys = generator.generateKeyPair();
    X509Certificate certificate = selfSign(componentId, host, keys, now, random);
    PemFiles.createDirectories(dir);
    PemFiles.writePrivateKey(keyFile, keys.getPrivate());
    PemFiles.writeCertificate(certFile, certificate);
    return new GeneratedCertificate(componentId, keyFile, certFile, certificate);
  }

  private static X509Certificate selfSign(
      String componentId, String host, KeyPair keys, Instant now, SecureRandom random)
      throws GeneralSecurityException {
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, componentId)
            .addRDN(BCStyle.CN, host)
            .build();
    Instant notBefore =
        now.truncatedTo(ChronoUnit.SECONDS).minus(CLOCK_SKEW_MINUTES, ChronoUnit.MINUTES);
    Instant notAfter =
        now.truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.UTC)
            .plusYears(VALIDITY_YEARS)
            .toInstant();
    // 128 random bits, forced positive and non-zero as RFC 5280 requires of serial numbers.
    BigInteger serial = new BigInteger(128, random).setBit(127);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial,
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(host));
      var signer =
          new JcaContentSignerBuilder("SHA256withRSA")
              .setSecureRandom(random)
              .build(keys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | IOException e) {
      throw new GeneralSecurityException("cannot sign the certificate of " + componentId, e);
    }
  }

  /** The subjectAltName entries for {@code host}; package-private for tests. */
  static GeneralNames subjectAltNames(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    List<GeneralName> names = new ArrayList<>();
    if (IPAddress.isValid(bare)) {
      names.add(new GeneralName(GeneralName.iPAddress, bare));
    } else {
      names.add(new GeneralName(GeneralName.dNSName, bare));
      if (bare.equalsIgnoreCase("localhost")) {
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      }
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, got: " + value);
    }
  }
}
