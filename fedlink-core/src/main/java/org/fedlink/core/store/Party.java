package org.fedlink.core.store;

import java.util.Objects;

/**
 * Another party (SuperNode or researcher) registered with this component for secure-aggregation
 * setup: its id, its MPC certificate and the endpoint of its direct MPC transport. Immutable.
 *
 * @param id the party's component id; equals the subject O of its certificate
 * @param certificatePem the party's MPC certificate, PEM text, checked before registration
 * @param ip host or IP of the party's MPC endpoint
 * @param port port of the party's MPC endpoint, 1..65535
 * @param notAfterMs end of validity of the certificate, epoch milliseconds
 * @param registeredMs when it was (last) registered, epoch milliseconds
 */
public record Party(
    String id, String certificatePem, String ip, int port, long notAfterMs, long registeredMs) {
  public Party {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(certificatePem, "certificatePem");
    Objects.requireNonNull(ip, "ip");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range; use 1..65535");
    }
  }
}
