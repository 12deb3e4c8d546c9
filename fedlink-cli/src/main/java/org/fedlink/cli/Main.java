package org.fedlink.cli;

import org.fedlink.core.FedlinkException;
import org.fedlink.core.TerminalText;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedlink} command: one subcommand per component and task. */
@Command(
    name = "fedlink",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Fedlink: secure federated learning on the JVM.",
      "",
      "A SuperLink relays work, a SuperNode at each site trains on the site's data,",
      "and a researcher runs experiments across them. Start with `fedlink demo`."
    },
    subcommands = {
      SuperLinkCommand.class,
      SuperNodeCommand.class,
      RunCommand.class,
      SimulateCommand.class,
      NodesCommand.class,
      RunsCommand.class,
      DemoCommand.class,
      KeysCommand.class,
      org.fedlink.cli.config.ConfigurationCommand.class,
      org.fedlink.cli.config.ResearcherCommand.class,
      org.fedlink.cli.config.DevSetupCommand.class,
      org.fedlink.cli.config.PlanCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a failure the user can fix (bad input, unreachable peer). */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a command line that does not parse. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Fedlink's error handling: one clear line, no stack trace. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          // Messages may quote what a peer sent (a plan name, a JAR entry): keep them printable.
          commandLine.getErr().println("error: " + TerminalText.block(describe(e)));
          LoggerFactory.getLogger(Main.class).debug("command failed", e);
          return EXIT_FAILURE;
        });
    return cl;
  }

  static String describe(Throwable e) {
    if (e instanceof FedlinkException f) {
      return f.getMessage();
    }
    if (e instanceof CommandLine.ParameterException p) {
      return p.getMessage();
    }
    return "unexpected "
        + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage())
        + " (run with FEDLINK_LOG_LEVEL=DEBUG for details)";
  }

  /** Reports the version from the JAR manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"fedlink " + (v == null ? "development build" : v)};
    }
  }
}
