package org.fedlink.cli.config;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigEntry;
import org.fedlink.core.config.CreatedComponent;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.config.RefreshResult;
import org.fedlink.core.config.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedlink configuration create|show|refresh}. */
@Command(
    name = "configuration",
    mixinStandardHelpOptions = true,
    description = "Create, show and upgrade component configuration files.",
    subcommands = {
      ConfigurationCommand.Create.class,
      ConfigurationCommand.Show.class,
      ConfigurationCommand.Refresh.class
    })
public final class ConfigurationCommand {

  /** {@code fedlink configuration create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a component: its configuration file, database and certificate.",
        "Writes etc/<name> (the INI file), its SQLite database in var/ and its MPC certificate",
        "in etc/certs/cert_<id>/. One researcher per workspace."
      })
  public static final class Create implements Callable<Integer> {
    @Option(
        names = "--component",
        required = true,
        paramLabel = "COMPONENT",
        description = "supernode, researcher or superlink.")
    String component;

    @Option(
        names = "--name",
        required = true,
        paramLabel = "FILE",
        description = "File name in etc/, e.g. config-n1.ini.")
    String name;

    @Option(
        names = "--root",
        paramLabel = "DIR",
        description = "Workspace root (default: ./fedlink-home).")
    Path root = Workspace.DEFAULT_ROOT;

    @Option(
        names = {"-f", "--force"},
        description = "Replace an existing file of that name (new id, new certificate).")
    boolean force;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      CreatedComponent c =
          ComponentHooks.creator().create(root, Component.parse(component), name, force);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("created %s %s%n", c.component(), c.id());
      out.printf("  configuration  %s%n", c.configFile());
      out.printf("  database       %s%n", c.database());
      out.printf("  private key    %s (owner-only)%n", c.privateKey());
      out.printf("  certificate    %s%n", c.certificate());
      out.printf("  MPC endpoint   %s:%d%n", c.mpcIp(), c.mpcPort());
      out.flush();
      return 0;
    }
  }

  /** {@code fedlink configuration show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show the effective values of a configuration and where each comes from.")
  public static final class Show implements Callable<Integer> {
    @Mixin ConfigOption config = new ConfigOption();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FedlinkConfig c = FedlinkConfig.load(config.requirePath("the file to show"));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("# %s (%s %s)%n", c.file(), c.component(), c.id());
      for (ConfigEntry e : c.describe()) {
        out.printf("%-36s = %-40s (%s)%n", e.name(), e.value(), e.source());
      }
      out.flush();
      return 0;
    }
  }

  /** {@code fedlink configuration refresh}. */
  @Command(
      name = "refresh",
      mixinStandardHelpOptions = true,
      description = "Back the file up and rewrite it in the current layout, keeping its values.")
  public static final class Refresh implements Callable<Integer> {
    @Mixin ConfigOption config = new ConfigOption();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Path file = config.requirePath("the file to refresh");
      RefreshResult r = FedlinkConfig.refresh(file);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "refreshed %s from version %d to %d; backup %s%n",
          r.file(), r.fromVersion(), r.toVersion(), r.backup());
      if (!r.dropped().isEmpty()) {
        out.printf("dropped keys that no longer exist: %s%n", String.join(", ", r.dropped()));
      }
      out.flush();
      return 0;
    }
  }
}
