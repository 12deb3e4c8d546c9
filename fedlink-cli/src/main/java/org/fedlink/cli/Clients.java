package org.fedlink.cli;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/** Checks shared by the commands that dial the SuperLink. */
final class Clients {
  private Clients() {}

  static void requireSuperlink(String address) {
    if (address == null) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "--superlink HOST:PORT is required (or [superlink] address in the --config file)");
    }
  }

  static void requireTlsChoice(ClientOptions o) {
    if (o.insecure == (o.rootCertificates != null)) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          o.insecure
              ? "--insecure and --root-certificates exclude each other: choose one"
              : "--root-certificates CA_FILE is required to verify the SuperLink (or --insecure"
                  + " for local development only)");
    }
  }
}
