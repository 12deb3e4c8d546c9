package org.fedlink.cli;

import java.nio.file.Path;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Option;

/** How a researcher command reaches the SuperLink. */
final class ClientOptions {
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

  Endpoint endpoint() {
    return Endpoint.parse(superlink);
  }
}
