package org.fedlink.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKey;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.superlink.Quotas;
import org.fedlink.superlink.SuperLink;
import org.fedlink.superlink.auth.SuperLinkAuthentication;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedlink superlink ...}. */
@Command(
    name = "superlink",
    description = "Run and administer the SuperLink, the server that relays work to SuperNodes.",
    mixinStandardHelpOptions = true,
    subcommands = {
      SuperLinkCommand.Start.class,
      SuperLinkKeysCommand.class,
      SuperLinkGcCommand.class,
      SuperLinkStatusCommand.class
    })
final class SuperLinkCommand {
  @picocli.CommandLine.Mixin
  org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  /** {@code fedlink superlink start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start a SuperLink and serve until stopped (Ctrl-C or SIGTERM).",
        "Without --insecure, --ssl-certfile and --ssl-keyfile are required; --ssl-ca-certfile is"
            + " an optional check."
      })
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--address",
        paramLabel = "HOST:PORT",
        defaultValue = "0.0.0.0:9092",
        description = "Where to listen for nodes and researchers (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(
        names = "--ssl-ca-certfile",
        paramLabel = "FILE",
        description =
            "Optional: the CA certificate (PEM) nodes use as --root-certificates. If given, the"
                + " SuperLink refuses to start unless its certificate was issued by this CA.")
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

    @Option(
        names = "--run-idle-timeout",
        paramLabel = "SECONDS",
        defaultValue = "3600",
        description = {
          "A run with no call from its researcher for this long is stopped; a researcher",
          "resuming it (fedlink run --resume) within this time keeps it (default: ${DEFAULT-VALUE})."
        })
    long runIdleTimeoutSeconds;

    @Option(
        names = "--auth-list-public-keys",
        paramLabel = "FILE",
        description = {
          "Turns on node authentication: the OpenSSH public keys of the nodes allowed to join",
          "(CSV or one per line, # comments). Re-read when it changes."
        })
    Path authKnownKeys;

    @Option(
        names = "--auth-superlink-private-key",
        paramLabel = "FILE",
        description = "The SuperLink's OpenSSH ECDSA private key (node authentication).")
    Path authPrivateKey;

    @Option(
        names = "--auth-superlink-public-key",
        paramLabel = "FILE",
        description = "The SuperLink's public key; give it to every node and researcher.")
    Path authPublicKey;

    @Option(
        names = "--auth-list-researcher-public-keys",
        paramLabel = "FILE",
        description = {
          "The researchers' public keys, allowed on the Control API; required with node",
          "authentication. Each run belongs to the key that created it."
        })
    Path authResearcherKeys;

    @Option(
        names = "--allow-anonymous-control",
        description = {
          "Start with node authentication but no researcher keys: the Control API is then open",
          "to whoever reaches the port (logged as a WARN). Default: refuse to start."
        })
    boolean allowAnonymousControl;

    @Option(
        names = "--auth-timestamp-window",
        paramLabel = "SECONDS",
        defaultValue = "60",
        description = "Accepted clock difference of a request (default: ${DEFAULT-VALUE}).")
    long authWindowSeconds;

    @Option(
        names = "--max-blob-mb",
        paramLabel = "MIB",
        description = "Largest blob one upload may hold ([superlink] max_blob_mb; default 1024).")
    Integer maxBlobMb;

    @Option(
        names = "--max-run-blob-mb",
        paramLabel = "MIB",
        description =
            "Total of the blobs one run's tasks and results may reference ([superlink]"
                + " max_run_blob_mb; default 16384).")
    Integer maxRunBlobMb;

    @Option(
        names = "--max-uploads-per-node",
        paramLabel = "N",
        description =
            "Uploads one node may have in progress ([superlink] max_uploads_per_node; default 4).")
    Integer maxUploadsPerNode;

    @Option(
        names = "--max-envelope-kb",
        paramLabel = "KIB",
        description =
            "Largest relayed envelope payload ([superlink] max_envelope_kb; default 4096).")
    Integer maxEnvelopeKb;

    @Option(
        names = "--max-envelopes-per-run",
        paramLabel = "N",
        description =
            "Envelopes relayed for one run ([superlink] max_envelopes_per_run; default 100000).")
    Integer maxEnvelopesPerRun;

    @Option(
        names = "--metrics-address",
        paramLabel = "HOST:PORT",
        description = {
          "Serve Prometheus metrics (GET /metrics, plain HTTP) on this address",
          "([superlink] metrics_address; default: off). Keep it on a private address."
        })
    String metricsAddress;

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
              .heartbeatInterval(Duration.ofMillis((long) (heartbeatSeconds * 1000)))
              .runIdleTimeout(Duration.ofSeconds(runIdleTimeoutSeconds))
              .quotas(quotas());
      if (heartbeatTimeoutSeconds != null) {
        b.heartbeatTimeout(Duration.ofMillis((long) (heartbeatTimeoutSeconds * 1000)));
      }
      if (insecure && (caFile != null || certFile != null || keyFile != null)) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "--insecure and the --ssl-* files exclude each other: choose one");
      }
      SuperLinkAuthentication auth = authentication();
      if (auth != null) {
        b.authentication(auth);
      }
      if (metricsAddress != null) {
        b.metricsAddress(Endpoint.parse(metricsAddress));
      }
      SuperLink link = b.build().start();
      Runtime.getRuntime().addShutdownHook(new Thread(link::close, "superlink-shutdown"));
      link.awaitTermination();
      return 0;
    }

    /** The quotas of the flags, else of the configuration, else the keys' defaults. */
    Quotas quotas() {
      return Quotas.fromKeys(
          orDefault(maxBlobMb, ConfigKeys.MAX_BLOB_MB),
          orDefault(maxRunBlobMb, ConfigKeys.MAX_RUN_BLOB_MB),
          orDefault(maxUploadsPerNode, ConfigKeys.MAX_UPLOADS_PER_NODE),
          orDefault(maxEnvelopeKb, ConfigKeys.MAX_ENVELOPE_KB),
          orDefault(maxEnvelopesPerRun, ConfigKeys.MAX_ENVELOPES_PER_RUN));
    }

    private static int orDefault(Integer value, ConfigKey<Integer> key) {
      return value != null ? value : key.defaultValue().orElseThrow();
    }

    private SuperLinkAuthentication authentication() {
      AuthFlags.allOrNone(
          "node authentication",
          new String[] {
            "--auth-list-public-keys", "--auth-superlink-private-key", "--auth-superlink-public-key"
          },
          authKnownKeys,
          authPrivateKey,
          authPublicKey);
      if (authKnownKeys == null) {
        if (authResearcherKeys != null) {
          throw new FedlinkException(
              ErrorCode.CONFIGURATION,
              "--auth-list-researcher-public-keys needs node authentication too: pass"
                  + " --auth-list-public-keys, --auth-superlink-private-key and"
                  + " --auth-superlink-public-key");
        }
        return null;
      }
      if (insecure) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            "node authentication requires TLS: remove --insecure and pass --ssl-certfile and"
                + " --ssl-keyfile");
      }
      return SuperLinkAuthentication.builder()
          .nodeKeys(authKnownKeys)
          .superlinkKeys(authPrivateKey, authPublicKey)
          .researcherKeys(authResearcherKeys)
          .allowAnonymousControl(allowAnonymousControl)
          .timestampWindow(Duration.ofSeconds(authWindowSeconds))
          .build();
    }
  }
}
