package org.fedlink.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedlink.console.ConsoleNode;
import org.fedlink.console.ConsolePassword;
import org.fedlink.console.NodeConsole;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKey;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.config.HostPort;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.datasets.DatasetRegistry;
import org.fedlink.supernode.plans.PlanStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedlink supernode --config F gui}: serves the node's web console on a node database
 * without running the node (the running node serves it itself with {@code [gui] enabled = True});
 * {@code gui set-password} sets its password.
 */
@Command(
    name = "gui",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the node's web console ([gui] address, default 127.0.0.1:8484) on the node's",
      "database, until stopped. A running node serves it itself with [gui] enabled = True."
    },
    subcommands = {GuiCommand.SetPassword.class})
final class GuiCommand implements Callable<Integer> {
  @Mixin org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  @Override
  public Integer call() throws InterruptedException {
    FedlinkConfig c = config.require(Component.SUPERNODE);
    Path database = c.path(ConfigKeys.DB);
    SqliteDatabase db = NodeDatabase.openFile(database);
    NodeConsole console =
        settings(
                c,
                new ConsoleNode(
                    database, new DatasetRegistry(db), new PlanStore(db), null, security(c)))
            .build()
            .start();
    System.err.println("node console on " + url(c, console) + " (Ctrl-C to stop)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  console.close();
                  db.close();
                  stopped.countDown();
                },
                "console-shutdown"));
    stopped.await();
    return 0;
  }

  /** The console of a node started with {@code [gui] enabled = True}, started; else empty. */
  static Optional<NodeConsole> startFor(Optional<FedlinkConfig> config, SuperNode node) {
    if (config.isEmpty() || !config.get().get(ConfigKeys.GUI_ENABLED)) {
      return Optional.empty();
    }
    FedlinkConfig c = config.get();
    ConsoleNode target = ConsoleNode.of(c.path(ConfigKeys.DB), node);
    target =
        new ConsoleNode(target.database(), target.datasets(), target.plans(), node, security(c));
    NodeConsole console = settings(c, target).build().start();
    System.err.println("node console on " + url(c, console));
    return Optional.of(console);
  }

  private static NodeConsole.Builder settings(FedlinkConfig c, ConsoleNode node) {
    HostPort a = c.get(ConfigKeys.GUI_ADDRESS);
    return NodeConsole.builder(node)
        .address(a.host(), a.port())
        .tls(
            c.findPath(ConfigKeys.GUI_CERTFILE).orElse(null),
            c.findPath(ConfigKeys.GUI_KEYFILE).orElse(null));
  }

  private static String url(FedlinkConfig c, NodeConsole console) {
    boolean tls = c.findPath(ConfigKeys.GUI_CERTFILE).isPresent();
    return (tls ? "https://" : "http://")
        + c.get(ConfigKeys.GUI_ADDRESS).host()
        + ":"
        + console.port()
        + "/";
  }

  /** The {@code [security]} settings as the configuration gives them (defaults included). */
  static Map<String, String> security(FedlinkConfig c) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (ConfigKey<?> k : ConfigKeys.inSection("security")) {
      if (k.isReadBy(Component.SUPERNODE)) {
        out.put(k.name(), c.find(k).map(String::valueOf).orElse("-"));
      }
    }
    return out;
  }

  /** {@code gui set-password}. */
  @Command(
      name = "set-password",
      mixinStandardHelpOptions = true,
      description = {
        "Set the console's password (asked twice on the terminal, or one line on standard input",
        "with --password-stdin); stored as a salted PBKDF2 hash beside the node's database."
      })
  static final class SetPassword implements Callable<Integer> {
    @Mixin org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean stdin;

    @Override
    public Integer call() throws IOException {
      FedlinkConfig c = config.require(Component.SUPERNODE);
      Path file = ConsolePassword.fileOf(c.path(ConfigKeys.DB));
      char[] password;
      if (stdin) {
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        password = line == null ? new char[0] : line.toCharArray();
      } else {
        Console terminal = System.console();
        if (terminal == null) {
          throw new FedlinkException(
              ErrorCode.CONFIGURATION,
              "no terminal to ask the password on: pass --password-stdin and pipe it in");
        }
        password = terminal.readPassword("console password: ");
        char[] again = terminal.readPassword("again: ");
        if (password == null || !Arrays.equals(password, again)) {
          throw new FedlinkException(
              ErrorCode.INVALID_ARGUMENT, "the two passwords differ: nothing changed");
        }
        Arrays.fill(again, '\0');
      }
      try {
        ConsolePassword.set(file, password);
      } finally {
        Arrays.fill(password, '\0');
      }
      System.out.println("console password set (hashed in " + file + ")");
      return 0;
    }
  }
}
