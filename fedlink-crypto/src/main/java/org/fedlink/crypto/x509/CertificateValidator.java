package org.fedlink.crypto.x509;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Checks a party's MPC certificate before it is registered or used: currently valid, subject O
 * equal to the expected component id, and no RSA key shorter than 2048 bits. Stateless and
 * thread-safe.
 */
public final class CertificateValidator {
  /** Smallest RSA modulus accepted. */
  public static final int MIN_RSA_BITS = 2048;

  private CertificateValidator() {}

  /**
   * Reads a PEM certificate file and validates it now for {@code expectedComponentId}.
   *
   * @throws IOException if the file cannot be read
   * @throws CertificateException if the file is malformed or the certificate is refused (see {@link
   *     #validate(X509Certificate, String, Instant)})
   */
  public static PartyCertificate load(Path pemFile, String expectedComponentId)
      throws IOException, CertificateException {
    return validate(PemFiles.readCertificate(pemFile), expectedComponentId, Instant.now());
  }

  /**
   * Validates {@code certificate} at {@code now} for {@code expectedComponentId}.
   *
   * @throws CertificateExpiredException if {@code now} is after its end of validity (both dates in
   *     the message)
   * @throws CertificateNotYetValidException if {@code now} is before its start of validity
   * @throws CertificateException if its subject has no single O, the O differs from {@code
   *     expectedComponentId} (both shown), or its RSA key is too short
   */
  public static PartyCertificate validate(
      X509Certificate certificate, String expectedComponentId, Instant now)
      throws CertificateException {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(expectedComponentId, "expectedComponentId");
    Objects.requireNonNull(now, "now");
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (now.isAfter(notAfter)) {
      throw new CertificateExpiredException(
          "certificate of "
              + subjectOf(certificate)
              + " expired on "
              + notAfter
              + " (now "
              + now
              + "); the party must generate a new certificate and every party register it again");
    }
    if (now.isBefore(notBefore)) {
      throw new CertificateNotYetValidException(
          "certificate of "
              + subjectOf(certificate)
              + " is not valid before "
              + notBefore
              + " (now "
              + now
              + "); check the clocks of both machines");
    }
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    String organization = single(subject, BCStyle.O, "O");
    if (!organization.equals(expectedComponentId)) {
      throw new CertificateException(
          "certificate subject O = "
              + organization
              + " does not match component id "
              + expectedComponentId
              + "; register the certificate generated for "
              + expectedComponentId);
    }
    if (certificate.getPublicKey() instanceof RSAPublicKey rsa
        && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new CertificateException(
          "certificate of "
              + expectedComponentId
              + " has a "
              + rsa.getModulus().bitLength()
              + "-bit RSA key; at least "
              + MIN_RSA_BITS
              + " bits are required");
    }
    RDN[] cn = subject.getRDNs(BCStyle.CN);
    String host = cn.length == 0 ? "" : text(cn[0]);
    return new PartyCertificate(organization, host, certificate);
  }

  private static String single(X500Name subject, ASN1ObjectIdentifier type, String label)
      throws CertificateException {
    RDN[] rdns = subject.getRDNs(type);
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      throw new CertificateException(
          "certificate subject \""
              + subject
              + "\" must have exactly one "
              + label
              + " (the component id), found "
              + rdns.length);
    }
    return text(rdns[0]);
  }

  /** The attribute's string value, unescaped (IETFUtils.valueToString would escape it). */
  private static String text(RDN rdn) {
    ASN1Encodable value = rdn.getFirst().getValue();
    return value instanceof ASN1String s ? s.getString() : value.toString();
  }

  private static String subjectOf(X509Certificate certificate) {
    return "\"" + certificate.getSubjectX500Principal().getName() + "\"";
  }
}
