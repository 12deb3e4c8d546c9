package org.fedlink.cli;

import java.nio.file.Path;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Option;

/** How a researcher command reaches the SuperLink: a picocli mixin. */
public final class ClientOptions {
  @Option(
      names = "--superlink",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9092",
      description = "Address of the SuperLink (default: ${DEFAULT-VALUE}).")
  String superlink;

  @Option(
      names = "--root-certificates",
      paramLabel = "CA_FILE",
      description = "PEM file of the CA that signed the SuperLink's TLS certificate.")
  Path rootCertificates;

  @Option(names = "--insecure", description = "Connect without TLS (local development only).")
  boolean insecure;

  @Option(
      names = "--auth-researcher-private-key",
      paramLabel = "FILE",
      description = "The researcher's OpenSSH ECDSA private key, if the SuperLink requires one.")
  Path authPrivateKey;

  @Option(
      names = "--auth-researcher-public-key",
      paramLabel = "FILE",
      description = "The researcher's public key (listed by the SuperLink).")
  Path authPublicKey;

  @Option(
      names = "--auth-superlink-public-key",
      paramLabel = "FILE",
      description = {
        "Optional pin of the SuperLink's public key; without it the key is learnt from the",
        "SuperLink over the verified TLS connection."
      })
  Path authSuperlinkKey;

  public Endpoint endpoint() {
    return Endpoint.parse(superlink);
  }

  /** The CA file, or null with {@code --insecure}. */
  public Path rootCertificates() {
    return rootCertificates;
  }
}
