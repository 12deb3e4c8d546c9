package org.fedlink.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedlink.superlink.SuperLink;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedlink superlink ...}. */
@Command(
    name = "superlink",
    description = "Run and administer the SuperLink, the server that relays work to SuperNodes.",
    mixinStandardHelpOptions = true,
    subcommands = {SuperLinkCommand.Start.class})
final class SuperLinkCommand {
  @picocli.CommandLine.Mixin
  org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  /** {@code fedlink superlink start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start a SuperLink and serve until stopped (Ctrl-C or SIGTERM).",
        "Without --insecure, the three --ssl-* files are required."
      })
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--address",
        paramLabel = "HOST:PORT",
        defaultValue = "0.0.0.0:9092",
        description = "Where to listen for nodes and researchers (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--ssl-ca-certfile", paramLabel = "FILE", description = "CA certificate (PEM).")
    Path caFile;

    @Option(
        names = "--ssl-certfile",
        paramLabel = "FILE",
        description = "Server certificate (PEM).")
    Path certFile;

    @Option(
        names = "--ssl-keyfile",
        paramLabel = "FILE",
        description = "Server private key (unencrypted PKCS#8 PEM).")
    Path keyFile;

    @Option(names = "--insecure", description = "Serve without TLS (local development only).")
    boolean insecure;

    @Option(
        names = "--home",
        paramLabel = "DIR",
        defaultValue = "fedlink-home/superlink",
        description = "Folder of the SuperLink's state (default: ${DEFAULT-VALUE}).")
    Path home;

    @Option(
        names = "--heartbeat-interval",
        paramLabel = "SECONDS",
        defaultValue = "5",
        description = "How often nodes send heartbeats (default: ${DEFAULT-VALUE}).")
    double heartbeatSeconds;

    @Option(
        names = "--heartbeat-timeout",
        paramLabel = "SECONDS",
        description = "Silence after which a node is offline (default: 3 intervals).")
    Double heartbeatTimeoutSeconds;

    @picocli.CommandLine.Mixin
    org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

    @Override
    public Integer call() throws InterruptedException {
      var fromFile = config.fill(org.fedlink.core.config.Component.SUPERLINK);
      SuperLink.Builder b =
          org.fedlink.cli.config.ComponentSettings.apply(fromFile, SuperLink.builder())
              .address(Endpoint.parse(address))
              .tls(caFile, certFile, keyFile)
              .insecure(insecure)
              .home(home)
              .heartbeatInterval(Duration.ofMillis((long) (heartbeatSeconds * 1000)));
      if (heartbeatTimeoutSeconds != null) {
        b.heartbeatTimeout(Duration.ofMillis((long) (heartbeatTimeoutSeconds * 1000)));
      }
      if (insecure && (caFile != null || certFile != null || keyFile != null)) {
        throw new org.fedlink.core.FedlinkException(
            org.fedlink.core.ErrorCode.CONFIGURATION,
            "--insecure and the --ssl-* files exclude each other: choose one");
      }
      SuperLink link = b.build().start();
      Runtime.getRuntime().addShutdownHook(new Thread(link::close, "superlink-shutdown"));
      link.awaitTermination();
      return 0;
    }
  }
}
