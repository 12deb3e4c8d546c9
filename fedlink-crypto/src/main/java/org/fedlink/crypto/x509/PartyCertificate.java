package org.fedlink.crypto.x509;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A certificate that {@link CertificateValidator} checked: it parses, it was within its validity
 * period at validation time, and its subject O is {@link #componentId()}. Only the validator
 * creates instances, so holding one is proof of those checks. Immutable and thread-safe.
 *
 * <p>The signature is not checked: a party certificate is trusted because an administrator
 * registered it, whether self-signed or issued by a CA.
 */
public final class PartyCertificate {
  private final String componentId;
  private final String host;
  private final X509Certificate certificate;

  PartyCertificate(String componentId, String host, X509Certificate certificate) {
    this.componentId = componentId;
    this.host = host;
    this.certificate = certificate;
  }

  /** The component id found in (and checked against) the subject's O. */
  public String componentId() {
    return componentId;
  }

  /** The subject's CN (the host the component announced), or an empty string if it has none. */
  public String host() {
    return host;
  }

  /** The certificate itself. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate's public key. */
  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  /** End of validity. */
  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  @Override
  public String toString() {
    return "PartyCertificate[" + componentId + ", CN=" + host + ", until " + notAfter() + "]";
  }
}
