package org.fedlink.crypto.x509;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * What {@link CertificateGenerator#generate} wrote: the private key file, the certificate file and
 * the certificate itself. Immutable; holds no private key material.
 *
 * @param componentId the id written into the subject's O
 * @param privateKeyFile the PKCS#8 PEM private key, owner-only
 * @param certificateFile the PEM certificate other parties register
 * @param certificate the parsed certificate
 */
public record GeneratedCertificate(
    String componentId, Path privateKeyFile, Path certificateFile, X509Certificate certificate) {
  public GeneratedCertificate {
    Objects.requireNonNull(componentId, "componentId");
    Objects.requireNonNull(privateKeyFile, "privateKeyFile");
    Objects.requireNonNull(certificateFile, "certificateFile");
    Objects.requireNonNull(certificate, "certificate");
  }
}
