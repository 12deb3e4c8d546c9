package org.fedlink.cli.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.config.Workspace;
import org.fedlink.core.store.Party;
import org.fedlink.core.store.PartyRegistry;
import org.fedlink.core.store.SqliteDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink certificate dev-setup}: in one workspace, registers every SuperNode and researcher
 * with every other one (certificate, MPC ip and port), replacing earlier registrations. For
 * development: in production each party registers the others' certificates it received.
 */
@Command(
    name = "certificate",
    mixinStandardHelpOptions = true,
    description = "Certificates across the components of one workspace.",
    subcommands = {DevSetupCommand.DevSetup.class})
public final class DevSetupCommand {

  /** {@code fedlink certificate dev-setup}. */
  @Command(
      name = "dev-setup",
      mixinStandardHelpOptions = true,
      description = "Register every component of a workspace with every other one.")
  public static final class DevSetup implements Callable<Integer> {
    @Option(
        names = "--root",
        paramLabel = "DIR",
        description = "Workspace root (default: ./fedlink-home).")
    Path root = Workspace.DEFAULT_ROOT;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<FedlinkConfig> parties = new ArrayList<>();
      for (FedlinkConfig c : configs(new Workspace(root))) {
        if (c.component() != Component.SUPERLINK) {
          parties.add(c);
        }
      }
      if (parties.size() < 2) {
        throw new FedlinkException(
            ErrorCode.FAILED_PRECONDITION,
            "workspace "
                + root.toAbsolutePath()
                + " has "
                + parties.size()
                + " supernode/researcher configuration(s); dev-setup needs at least two"
                + " (create them with `fedlink configuration create`)");
      }
      List<Party> checked = new ArrayList<>();
      for (FedlinkConfig c : parties) {
        checked.add(
            PartyCertificates.check(
                c.id(),
                c.path(ConfigKeys.MPC_PUBLIC_KEY),
                c.get(ConfigKeys.MPC_IP),
                c.get(ConfigKeys.MPC_PORT)));
      }
      PrintWriter out = spec.commandLine().getOut();
      for (FedlinkConfig c : parties) {
        try (SqliteDatabase db = ComponentHooks.openParties(c.path(ConfigKeys.DB), c.component())) {
          PartyRegistry registry = new PartyRegistry(db);
          for (Party p : checked) {
            if (!p.id().equals(c.id())) {
              registry.register(p, true);
            }
          }
        }
        out.printf(
            "%s %s (%s): registered %d other parties%n",
            c.component(), c.id(), c.file().getFileName(), checked.size() - 1);
      }
      out.flush();
      return 0;
    }

    private static List<FedlinkConfig> configs(Workspace ws) {
      List<FedlinkConfig> out = new ArrayList<>();
      if (!Files.isDirectory(ws.etc())) {
        throw new FedlinkException(
            ErrorCode.NOT_FOUND,
            "workspace "
                + ws.root().toAbsolutePath()
                + " has no etc/ folder; pass --root or create components first");
      }
      try (DirectoryStream<Path> files = Files.newDirectoryStream(ws.etc(), "*.ini")) {
        for (Path f : files) {
          out.add(FedlinkConfig.load(f));
        }
      } catch (IOException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, "cannot list " + ws.etc() + ": " + e.getMessage(), e);
      }
      out.sort((a, b) -> a.file().getFileName().compareTo(b.file().getFileName()));
      return out;
    }
  }
}
