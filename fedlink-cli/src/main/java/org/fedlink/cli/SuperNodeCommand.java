package org.fedlink.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.auth.NodeAuthentication;
import org.fedlink.supernode.datasets.DatasetRecord;
import org.fedlink.supernode.datasets.DatasetRegistry;
import org.fedlink.transport.Endpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fedlink supernode ...}. */
@Command(
    name = "supernode",
    description = "Run a SuperNode and manage the site's datasets.",
    mixinStandardHelpOptions = true,
    subcommands = {
      SuperNodeCommand.Start.class,
      SuperNodeCommand.DatasetCommand.class,
      org.fedlink.cli.config.CertificateCommand.class,
      org.fedlink.cli.config.TrainingPlanCommand.class,
      org.fedlink.cli.secagg.BiprimeCommand.class,
      GuiCommand.class
    })
final class SuperNodeCommand {
  @picocli.CommandLine.Mixin
  org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  /** Options every node subcommand shares. */
  static final class HomeOption {
    @Option(
        names = "--home",
        paramLabel = "DIR",
        defaultValue = "fedlink-home/supernode",
        description = "Folder of the node's database (default: ${DEFAULT-VALUE}).")
    Path home;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    /** The node database: [default] db of a --config given to a parent command, else --home. */
    SqliteDatabase open() {
      return org.fedlink.cli.config.ComponentSettings.openNode(spec, home);
    }
  }

  /** {@code fedlink supernode start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start a SuperNode and run until stopped (Ctrl-C or SIGTERM).",
        "It dials out to the SuperLink, receives tasks and trains on the registered datasets;",
        "it reconnects on its own."
      })
  static final class Start implements Callable<Integer> {
    @Option(
        names = "--superlink",
        paramLabel = "HOST:PORT",
        description = "Address of the SuperLink's Fleet API (required unless in --config).")
    String superlink;

    @Option(
        names = "--root-certificates",
        paramLabel = "CA_FILE",
        description = "PEM file of the CA that signed the SuperLink's certificate.")
    Path rootCertificates;

    @Option(names = "--insecure", description = "Connect without TLS (local development only).")
    boolean insecure;

    @picocli.CommandLine.Mixin HomeOption home = new HomeOption();

    @Option(
        names = "--auth-supernode-private-key",
        paramLabel = "FILE",
        description = "The node's OpenSSH ECDSA private key: turns on node authentication.")
    Path authPrivateKey;

    @Option(
        names = "--auth-supernode-public-key",
        paramLabel = "FILE",
        description = "The node's public key (its line goes in the SuperLink's known keys).")
    Path authPublicKey;

    @Option(
        names = "--auth-superlink-public-key",
        paramLabel = "FILE",
        description = {
          "Optional pin of the SuperLink's public key. Without it the node learns the key from",
          "the SuperLink over the verified TLS connection; with it a different key is refused."
        })
    Path authSuperlinkKey;

    @Option(
        names = "--connection-timeout",
        paramLabel = "SECONDS",
        description = {
          "Seconds the SuperLink may stay silent (data unacknowledged, keepalive unanswered)",
          "before the node drops its connection and dials again, 1 to 600 (default: 20;",
          "[supernode] connection_timeout_s)."
        })
    Integer connectionTimeoutSeconds;

    @picocli.CommandLine.Mixin
    org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

    @Override
    public Integer call() throws InterruptedException {
      var fromFile = config.fill(org.fedlink.core.config.Component.SUPERNODE);
      Clients.requireSuperlink(superlink);
      // libtorch unpacks beside the node's database (a workspace's var/djl) on first use.
      java.nio.file.Path db =
          fromFile
              .map(c -> c.path(org.fedlink.core.config.ConfigKeys.DB))
              .orElse(home.home.resolve("node.sqlite"));
      org.fedlink.djl.DjlRuntime.defaultCacheDir(db.toAbsolutePath().getParent().resolve("djl"));
      SuperNode.Builder b =
          org.fedlink.cli.config.ComponentSettings.apply(fromFile, SuperNode.builder())
              .superlink(Endpoint.parse(superlink))
              .rootCertificates(rootCertificates)
              .insecure(insecure)
              .home(home.home);
      if (connectionTimeoutSeconds != null) {
        if (connectionTimeoutSeconds < 1 || connectionTimeoutSeconds > 600) {
          throw new org.fedlink.core.FedlinkException(
              org.fedlink.core.ErrorCode.CONFIGURATION,
              "--connection-timeout must be 1 to 600 seconds, got " + connectionTimeoutSeconds);
        }
        b.connectionTimeout(java.time.Duration.ofSeconds(connectionTimeoutSeconds));
      }
      AuthFlags.allOrNone(
          "node authentication",
          new String[] {"--auth-supernode-private-key", "--auth-supernode-public-key"},
          authPrivateKey,
          authPublicKey);
      AuthFlags.requires(
          "--auth-superlink-public-key",
          authSuperlinkKey,
          "--auth-supernode-private-key",
          authPrivateKey);
      if (authPrivateKey != null) {
        if (insecure) {
          throw new org.fedlink.core.FedlinkException(
              org.fedlink.core.ErrorCode.CONFIGURATION,
              "node authentication requires TLS: remove --insecure and pass --root-certificates"
                  + " CA_FILE");
        }
        NodeAuthentication auth =
            NodeAuthentication.load(authPrivateKey, authPublicKey, authSuperlinkKey);
        b.authentication(auth);
        System.err.println("node authentication on: this node's key is " + auth.fingerprint());
      }
      SuperNode node = b.build().start();
      java.util.Optional<org.fedlink.console.NodeConsole> console;
      try {
        console = GuiCommand.startFor(fromFile, node);
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    console.ifPresent(org.fedlink.console.NodeConsole::close);
                    node.close();
                    stopped.countDown();
                  },
                  "supernode-shutdown"));
      stopped.await();
      return 0;
    }
  }

  /** {@code fedlink supernode dataset ...}. */
  @Command(
      name = "dataset",
      mixinStandardHelpOptions = true,
      description = "Register, list and remove the datasets tasks may read.",
      subcommands = {
        DatasetCommand.Add.class,
        DatasetCommand.ListDatasets.class,
        DatasetCommand.Delete.class
      })
  static final class DatasetCommand {

    @Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "Register a dataset: a CSV or NumPy file, or a folder of images.")
    static final class Add implements Callable<Integer> {
      @Option(names = "--name", required = true, description = "Unique name on this node.")
      String name;

      @Option(
          names = "--tags",
          required = true,
          split = ",",
          paramLabel = "T1,T2",
          description = "Tags researchers select the dataset by.")
      List<String> tags;

      @Option(
          names = "--path",
          required = true,
          paramLabel = "PATH",
          description = "Data file, or the folder of an image data set.")
      Path path;

      @Option(
          names = {"--format", "--type"},
          defaultValue = "csv",
          description =
              "csv (features then the label; .csv.gz too), npz (numpy.savez(file, x=..., y=...))"
                  + " or images (a folder of class sub-folders of PNG/JPEG files). Default:"
                  + " ${DEFAULT-VALUE}.")
      String format;

      @Option(
          names = "--size",
          paramLabel = "WxH",
          description = "With --type images: resize every image to WIDTHxHEIGHT.")
      String size;

      @Option(
          names = "--color",
          defaultValue = "grayscale",
          description = "With --type images: grayscale or rgb (default: ${DEFAULT-VALUE}).")
      String color;

      @picocli.CommandLine.Mixin HomeOption home = new HomeOption();

      @Override
      public Integer call() {
        try (SqliteDatabase db = home.open()) {
          String f = format;
          if ("images".equals(format)) {
            f = org.fedlink.ml.ImageFolderLoader.Options.parse(size, color).format();
          } else if (size != null) {
            throw new org.fedlink.core.FedlinkException(
                org.fedlink.core.ErrorCode.INVALID_ARGUMENT,
                "--size applies to --type images only");
          }
          DatasetRecord r = new DatasetRegistry(db).add(name, tags, path, f);
          System.out.printf(
              "dataset '%s' registered: %d rows, %d features, tags %s, file %s%n",
              r.name(), r.rows(), r.cols(), String.join(",", r.tags()), r.path());
        }
        return 0;
      }
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List registered datasets.")
    static final class ListDatasets implements Callable<Integer> {
      @picocli.CommandLine.Mixin HomeOption home = new HomeOption();

      @Override
      public Integer call() {
        try (SqliteDatabase db = home.open()) {
          List<DatasetRecord> all = new DatasetRegistry(db).list();
          if (all.isEmpty()) {
            System.out.println(
                "no dataset registered; add one with `fedlink supernode dataset add`");
            return 0;
          }
          System.out.printf("%-20s %-24s %7s %5s  %s%n", "NAME", "TAGS", "ROWS", "COLS", "PATH");
          for (DatasetRecord r : all) {
            System.out.printf(
                "%-20s %-24s %7d %5d  %s%n",
                r.name(), String.join(",", r.tags()), r.rows(), r.cols(), r.path());
          }
        }
        return 0;
      }
    }

    @Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Remove a dataset's registration (the file stays).")
    static final class Delete implements Callable<Integer> {
      @Parameters(paramLabel = "NAME", description = "Name of the dataset.")
      String name;

      @picocli.CommandLine.Mixin HomeOption home = new HomeOption();

      @Override
      public Integer call() {
        try (SqliteDatabase db = home.open()) {
          new DatasetRegistry(db).delete(name);
          System.out.println("dataset '" + name + "' removed");
        }
        return 0;
      }
    }
  }
}
