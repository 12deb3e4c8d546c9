package org.fedlink.cli.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.Party;
import org.fedlink.core.store.PartyRegistry;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.x509.CertificateGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink supernode|researcher --config F certificate ...}: this component's MPC certificate
 * and the parties registered in its database. The component is the parent command's.
 */
@Command(
    name = "certificate",
    mixinStandardHelpOptions = true,
    description = "Generate this component's MPC certificate and register other parties'.",
    subcommands = {
      CertificateCommand.Generate.class,
      CertificateCommand.Register.class,
      CertificateCommand.ListParties.class,
      CertificateCommand.Delete.class,
      CertificateCommand.Instructions.class
    })
public final class CertificateCommand {

  /** State every subcommand shares: the configuration and output. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    Component component() {
      CommandSpec s = spec;
      while (s.parent() != null
          && !s.name().equals("supernode")
          && !s.name().equals("researcher")) {
        s = s.parent();
      }
      return Component.parse(s.name());
    }

    FedlinkConfig load() {
      return config.require(component());
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    <T> T withRegistry(FedlinkConfig c, java.util.function.Function<PartyRegistry, T> work) {
      try (SqliteDatabase db = ComponentHooks.openParties(c.path(ConfigKeys.DB), c.component())) {
        return work.apply(new PartyRegistry(db));
      }
    }
  }

  /** {@code certificate generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = "Generate this component's MPC certificate (refuses to overwrite).")
  public static final class Generate extends Base {
    @Option(
        names = {"-f", "--force"},
        description = "Replace the existing certificate; every other party must register it again.")
    boolean force;

    @Override
    public Integer call() {
      FedlinkConfig c = load();
      Path dir = c.path(ConfigKeys.MPC_PUBLIC_KEY).getParent();
      try {
        CertificateGenerator.generate(c.id(), c.get(ConfigKeys.MPC_IP), dir, force);
      } catch (FileAlreadyExistsException e) {
        throw new FedlinkException(ErrorCode.ALREADY_EXISTS, e.getReason(), e);
      } catch (IOException | GeneralSecurityException e) {
        throw new FedlinkException(
            ErrorCode.INTERNAL, "cannot generate the certificate in " + dir + ": " + e, e);
      }
      out().printf("certificate of %s written to %s%n", c.id(), dir);
      if (force) {
        out()
            .println(
                "the certificate changed: every other party must register it again; they can run"
                    + " what `certificate registration-instructions` prints");
      }
      out().flush();
      return 0;
    }
  }

  /** {@code certificate register}. */
  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = "Register another party's certificate and MPC endpoint.")
  public static final class Register extends Base {
    @Option(names = "--component-id", required = true, paramLabel = "ID")
    String id;

    @Option(names = "--certificate", required = true, paramLabel = "FILE")
    Path certificate;

    @Option(names = "--ip", required = true, paramLabel = "IP")
    String ip;

    @Option(names = "--port", required = true, paramLabel = "PORT")
    int port;

    @Option(names = "--upsert", description = "Replace an existing registration of this id.")
    boolean upsert;

    @Override
    public Integer call() {
      FedlinkConfig c = load();
      if (id.equals(c.id())) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            "component " + id + " is this component itself; register the other parties' ids");
      }
      Party party = PartyCertificates.check(id, certificate, ip, port);
      boolean replaced = withRegistry(c, r -> r.register(party, upsert));
      out()
          .printf(
              "%s %s (%s:%d, certificate valid until %s) in %s%n",
              replaced ? "updated" : "registered",
              id,
              party.ip(),
              party.port(),
              Instant.ofEpochMilli(party.notAfterMs()),
              c.id());
      out().flush();
      return 0;
    }
  }

  /** {@code certificate list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered parties.")
  public static final class ListParties extends Base {
    @Override
    public Integer call() {
      FedlinkConfig c = load();
      List<Party> parties = withRegistry(c, PartyRegistry::list);
      if (parties.isEmpty()) {
        out().println("no party registered; use `certificate register` or `certificate dev-setup`");
      } else {
        out().printf("%-48s %-24s %s%n", "COMPONENT ID", "MPC ENDPOINT", "CERTIFICATE VALID UNTIL");
        for (Party p : parties) {
          out()
              .printf(
                  "%-48s %-24s %s%n",
                  p.id(), p.ip() + ":" + p.port(), Instant.ofEpochMilli(p.notAfterMs()));
        }
      }
      out().flush();
      return 0;
    }
  }

  /** {@code certificate delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Remove a party's registration.")
  public static final class Delete extends Base {
    @Parameters(paramLabel = "ID", description = "Component id of the party.")
    String id;

    @Override
    public Integer call() {
      FedlinkConfig c = load();
      withRegistry(
          c,
          r -> {
            r.delete(id);
            return null;
          });
      out().printf("party %s removed from %s%n", id, c.id());
      out().flush();
      return 0;
    }
  }

  /** {@code certificate registration-instructions}. */
  @Command(
      name = "registration-instructions",
      mixinStandardHelpOptions = true,
      description = "Print the command the other parties run to register this component.")
  public static final class Instructions extends Base {
    @Override
    public Integer call() {
      FedlinkConfig c = load();
      Path pem = c.path(ConfigKeys.MPC_PUBLIC_KEY).toAbsolutePath().normalize();
      out()
          .printf(
              "Send %s to the other parties; each of them runs (with its own configuration file):%n%n",
              pem);
      out()
          .printf(
              "  fedlink supernode --config <their-config.ini> certificate register \\%n"
                  + "      --component-id %s --certificate %s --ip %s --port %d%n%n",
              c.id(), pem, c.get(ConfigKeys.MPC_IP), c.get(ConfigKeys.MPC_PORT));
      out().println("(a researcher runs `fedlink researcher --config <its-config.ini> ...`)");
      out().flush();
      return 0;
    }
  }
}
