package org.fedlink.cli.secagg;

import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.secagg.SqliteBiprimeStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedlink supernode biprime add|list|delete}: the Joye-Libert biprimes this node accepts
 * besides the shipped defaults (which it accepts only with {@code allow_default_biprimes = True}).
 */
@Command(
    name = "biprime",
    mixinStandardHelpOptions = true,
    description = "Register, list and remove the biprimes secure aggregation may use on this node.",
    subcommands = {
      BiprimeCommand.Add.class,
      BiprimeCommand.ListAll.class,
      BiprimeCommand.Delete.class
    })
public final class BiprimeCommand {
  /** The node's home folder. */
  static final class Home {
    @Option(
        names = "--home",
        paramLabel = "DIR",
        defaultValue = "fedlink-home/supernode",
        description = "Folder of the node's database (default: ${DEFAULT-VALUE}).")
    Path home;
  }

  /** {@code fedlink supernode biprime add FILE}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Register a biprime file (fedlink-biprime/1 format) after validating it.")
  public static final class Add implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The biprime file.")
    Path file;

    @Option(names = "--note", defaultValue = "", description = "Free text kept with it.")
    String note;

    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      Biprime b;
      try {
        b = Biprime.load(file);
      } catch (IOException e) {
        throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e);
      } catch (InvalidAlgorithmParameterException e) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT, file + " is not a usable biprime: " + e.getMessage());
      }
      try (SqliteDatabase db = NodeDatabase.open(home.home)) {
        new SqliteBiprimeStore(db).add(b, note);
      }
      System.out.printf("biprime %s (%d bits) registered%n", b.fingerprint(), b.bits());
      return 0;
    }
  }

  /** {@code fedlink supernode biprime list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List registered biprimes.")
  public static final class ListAll implements Callable<Integer> {
    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      try (SqliteDatabase db = NodeDatabase.open(home.home)) {
        List<Biprime> all = new SqliteBiprimeStore(db).list();
        if (all.isEmpty()) {
          System.out.println(
              "no biprime registered; add one with `fedlink supernode biprime add FILE`");
        }
        for (Biprime b : all) {
          System.out.printf("%s  %5d bits%n", b.fingerprint(), b.bits());
        }
      }
      return 0;
    }
  }

  /** {@code fedlink supernode biprime delete FINGERPRINT}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Remove a registered biprime; setups using it are refused from then on.")
  public static final class Delete implements Callable<Integer> {
    @Parameters(paramLabel = "SHA256", description = "The biprime's fingerprint (see list).")
    String fingerprint;

    @picocli.CommandLine.Mixin Home home = new Home();

    @Override
    public Integer call() {
      try (SqliteDatabase db = NodeDatabase.open(home.home)) {
        if (!new SqliteBiprimeStore(db).delete(fingerprint)) {
          throw new FedlinkException(
              ErrorCode.NOT_FOUND,
              "no biprime " + fingerprint + " is registered; see `fedlink supernode biprime list`");
        }
      }
      System.out.println("biprime " + fingerprint + " removed");
      return 0;
    }
  }
}
