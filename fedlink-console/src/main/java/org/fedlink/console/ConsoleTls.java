package org.fedlink.console;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.x509.PemFiles;

/** The console's TLS: a PEM certificate chain and its unencrypted PKCS#8 PEM key. */
final class ConsoleTls {
  private ConsoleTls() {}

  static SslContextFactory.Server context(Path certFile, Path keyFile) {
    try {
      Collection<? extends Certificate> chain;
      try (var in = java.nio.file.Files.newInputStream(certFile)) {
        chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + certFile);
      }
      PrivateKey key = PemFiles.readPrivateKey(keyFile);
      char[] pass = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("console", key, pass, chain.toArray(new Certificate[0]));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(store);
      ssl.setKeyStorePassword("");
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      return ssl;
    } catch (Exception e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use [gui] certfile "
              + certFile
              + " with keyfile "
              + keyFile
              + ": "
              + e.getMessage()
              + " (a PEM certificate and an unencrypted PEM PKCS#8 key)",
          e);
    }
  }
}
