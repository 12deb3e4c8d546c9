package org.fedlink.superlink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Checks at start that the SuperLink's TLS certificate is issued by the CA given with {@code
 * --ssl-ca-certfile}, the CA nodes and researchers pass as {@code --root-certificates}: a mismatch
 * is then reported once by the SuperLink instead of as a TLS failure on every node. Stateless.
 */
final class CertificateChainCheck {
  private CertificateChainCheck() {}

  /**
   * @throws FedlinkException CONFIGURATION naming both files if no certificate of {@code certFile}
   *     is signed by a certificate of {@code caFile} (or is one of them), or a file cannot be read
   */
  static void requireIssuedBy(Path caFile, Path certFile) {
    List<X509Certificate> cas = read(caFile, "--ssl-ca-certfile");
    List<X509Certificate> chain = read(certFile, "--ssl-certfile");
    for (X509Certificate c : chain) {
      for (X509Certificate ca : cas) {
        if (c.equals(ca) || issuedBy(c, ca)) {
          return;
        }
      }
    }
    throw new FedlinkException(
        ErrorCode.CONFIGURATION,
        "--ssl-certfile "
            + certFile
            + " ("
            + chain.get(0).getSubjectX500Principal().getName()
            + ", issued by "
            + chain.get(0).getIssuerX500Principal().getName()
            + ") is not issued by the CA in --ssl-ca-certfile "
            + caFile
            + " ("
            + cas.get(0).getSubjectX500Principal().getName()
            + "): nodes trusting that CA would refuse this SuperLink. Pass the CA that signed the"
            + " certificate, or leave --ssl-ca-certfile out");
  }

  private static boolean issuedBy(X509Certificate c, X509Certificate ca) {
    if (!c.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      c.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> read(Path file, String flag) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, flag + " " + file + " holds no PEM certificate");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          flag + " " + file + " is not a readable PEM certificate file: " + e.getMessage(),
          e);
    }
  }
}
