package org.fedlink.supernode.secagg;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.x509.CertificateGenerator;
import org.fedlink.crypto.x509.CertificateValidator;
import org.fedlink.crypto.x509.GeneratedCertificate;
import org.fedlink.crypto.x509.PemFiles;

/** A party with a fresh MPC certificate, as {@code configuration create} would make it. */
record MpcTestParty(MpcIdentity identity, X509Certificate certificate) {
  static MpcTestParty generate(Path dir, String componentId, String host) throws Exception {
    GeneratedCertificate g =
        CertificateGenerator.generate(componentId, host, dir.resolve(componentId), true);
    return new MpcTestParty(
        new MpcIdentity(componentId, PemFiles.readPrivateKey(g.privateKeyFile())), g.certificate());
  }

  String id() {
    return identity.componentId();
  }

  /** Its registration with the endpoint at {@code ip:port}. */
  RegisteredParty at(String ip, int port) throws Exception {
    return new RegisteredParty(
        id(), CertificateValidator.validate(certificate, id(), Instant.now()), ip, port);
  }

  DirectTransportSettings endpoint(int port) {
    return new DirectTransportSettings(certificate, "127.0.0.1", port);
  }
}
