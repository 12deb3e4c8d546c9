package org.fedlink.crypto.channel;

import java.util.Objects;
import org.fedlink.crypto.x509.PartyCertificate;

/**
 * One party an administrator registered: its component id, its validated MPC certificate, and where
 * its MPC endpoint listens (used only by the direct transport).
 *
 * @param componentId the component id, equal to the certificate's subject O
 * @param certificate the registered certificate, validated for {@code componentId}
 * @param ip host or IP of the party's MPC endpoint (may be empty when unknown)
 * @param port port of the party's MPC endpoint, 0 when unknown
 */
public record RegisteredParty(
    String componentId, PartyCertificate certificate, String ip, int port) {
  /**
   * @throws IllegalArgumentException if the certificate was validated for another component id or
   *     the port is outside [0, 65535]
   */
  public RegisteredParty {
    Objects.requireNonNull(componentId, "componentId");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(ip, "ip");
    if (!certificate.componentId().equals(componentId)) {
      throw new IllegalArgumentException(
          "certificate is for component "
              + certificate.componentId()
              + ", registered as "
              + componentId);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port = " + port + "; allowed 0..65535");
    }
  }
}
