package org.fedlink.core.config;

import java.nio.file.Path;

/**
 * Generates a new component's MPC certificate while {@link ComponentCreator} holds the workspace
 * lock. The CLI passes {@code org.fedlink.crypto.x509.CertificateGenerator::generate} (adapted);
 * fedlink-core does not depend on fedlink-crypto. Implementations must be safe to call from any
 * thread.
 */
@FunctionalInterface
public interface CertificateHook {
  /** Generates nothing (tests of the layout only). */
  CertificateHook NONE = (componentId, host, certificateDir, force) -> {};

  /**
   * Writes {@code MPC_certificate.key} and {@code MPC_certificate.pem} into {@code certificateDir}
   * for a certificate with subject {@code O=componentId, CN=host}.
   *
   * @throws Exception any failure; the creator reports it and writes no configuration file
   */
  void generate(String componentId, String host, Path certificateDir, boolean force)
      throws Exception;
}
