package org.fedlink.cli;

import io.grpc.ClientInterceptor;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.researcher.auth.ResearcherAuthentication;

/** Checks shared by the commands that dial the SuperLink. */
public final class Clients {
  private Clients() {}

  static void requireSuperlink(String address) {
    if (address == null) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "--superlink HOST:PORT is required (or [superlink] address in the --config file)");
    }
  }

  /** Exactly one of --insecure and --root-certificates. */
  public static void requireTlsChoice(ClientOptions o) {
    if (o.insecure == (o.rootCertificates != null)) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          o.insecure
              ? "--insecure and --root-certificates exclude each other: choose one"
              : "--root-certificates CA_FILE is required to verify the SuperLink (or --insecure"
                  + " for local development only)");
    }
  }

  /** The interceptors that authenticate the researcher, empty without the --auth-* flags. */
  public static List<ClientInterceptor> authentication(ClientOptions o) {
    AuthFlags.allOrNone(
        "researcher authentication",
        new String[] {"--auth-researcher-private-key", "--auth-researcher-public-key"},
        o.authPrivateKey,
        o.authPublicKey);
    AuthFlags.requires(
        "--auth-superlink-public-key",
        o.authSuperlinkKey,
        "--auth-researcher-private-key",
        o.authPrivateKey);
    if (o.authPrivateKey == null) {
      return List.of();
    }
    if (o.insecure) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "researcher authentication requires TLS: remove --insecure and pass --root-certificates");
    }
    return List.of(
        ResearcherAuthentication.load(o.authPrivateKey, o.authPublicKey, o.authSuperlinkKey)
            .interceptor());
  }
}
