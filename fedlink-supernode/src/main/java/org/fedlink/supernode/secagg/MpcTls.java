package org.fedlink.supernode.secagg;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.fedlink.crypto.channel.MpcIdentity;

/**
 * TLS material of the direct MPC transport: the key manager presenting this component's MPC
 * certificate, and the component id a certificate names. Stateless and thread-safe.
 */
final class MpcTls {
  private MpcTls() {}

  /**
   * A key manager presenting {@code certificate} with the private key of {@code identity}, kept in
   * memory only.
   *
   * @throws GeneralSecurityException if the key does not fit the certificate's algorithm
   */
  static KeyManager keyManager(MpcIdentity identity, X509Certificate certificate)
      throws GeneralSecurityException {
    char[] password = new char[0];
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, password);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an in-memory key store", e);
    }
    store.setKeyEntry("mpc", identity.privateKey(), password, new Certificate[] {certificate});
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(store, password);
    return f.getKeyManagers()[0];
  }

  /**
   * The single O of the certificate's subject (the component id).
   *
   * @throws CertificateException if the subject has no O or several
   */
  static String componentOf(X509Certificate certificate) throws CertificateException {
    String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    String found = null;
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("O")) {
          if (found != null) {
            throw new CertificateException("certificate subject " + subject + " has several O");
          }
          found = String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      throw new CertificateException("certificate subject " + subject + " cannot be parsed", e);
    }
    if (found == null) {
      throw new CertificateException(
          "certificate subject " + subject + " has no O (the component id)");
    }
    return found;
  }
}
