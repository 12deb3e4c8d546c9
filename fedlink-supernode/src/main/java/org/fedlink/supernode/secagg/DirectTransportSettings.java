package org.fedlink.supernode.secagg;

import java.security.cert.X509Certificate;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * What a node needs for {@code [mpc] transport = direct}: its own MPC certificate ({@code [mpc]
 * public_key}, presented in mutual TLS with the key of its MPC identity) and the address its MPC
 * endpoint listens on ({@code [mpc] ip} and {@code port}, after {@code FEDLINK_MPC_IP} / {@code
 * FEDLINK_MPC_PORT} overrides). Immutable and thread-safe.
 *
 * @param certificate this node's MPC certificate, the one the other parties registered
 * @param host the host or IP to listen on
 * @param port the port to listen on, 0 for any free port (tests)
 */
public record DirectTransportSettings(X509Certificate certificate, String host, int port) {
  /**
   * @throws FedlinkException (CONFIGURATION) if the host is blank or the port outside 0..65535
   */
  public DirectTransportSettings {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "[mpc] ip is empty; set the host the MPC endpoint listens on");
    }
    if (port < 0 || port > 65535) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "[mpc] port = " + port + "; allowed 1..65535");
    }
  }
}
