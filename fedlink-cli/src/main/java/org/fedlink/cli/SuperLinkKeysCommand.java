package org.fedlink.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.KnownKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.superlink.auth.ReloadRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedlink superlink keys list|reload}. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Show the known keys, or make a running SuperLink re-read them.",
    subcommands = {SuperLinkKeysCommand.ListKeys.class, SuperLinkKeysCommand.Reload.class})
final class SuperLinkKeysCommand {

  /** {@code fedlink superlink keys list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the keys of a known-keys file with their SHA256 fingerprints.")
  static final class ListKeys implements Callable<Integer> {
    @Option(
        names = {"--auth-list-public-keys", "--file"},
        paramLabel = "FILE",
        required = true,
        description = "The known-keys file (nodes' or researchers').")
    Path file;

    @Override
    public Integer call() {
      KnownKeys keys;
      try {
        keys = KnownKeys.read(file);
      } catch (IOException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, "cannot read " + file + ": " + e.getMessage(), e);
      } catch (KeyFormatException e) {
        throw new FedlinkException(ErrorCode.CONFIGURATION, e.getMessage(), e);
      }
      if (keys.size() == 0) {
        System.out.println("no key in " + file + ": every node is refused");
        return 0;
      }
      System.out.printf("%-52s %-22s %s%n", "FINGERPRINT", "TYPE", "COMMENT");
      for (OpenSshPublicKey k : keys.keys()) {
        System.out.printf("%-52s %-22s %s%n", k.fingerprint(), k.keyType(), k.comment());
      }
      System.out.println(keys.size() + " key(s) in " + file);
      return 0;
    }
  }

  /** {@code fedlink superlink keys reload}. */
  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description = {
        "Make the running SuperLink re-read its known-keys files now.",
        "It also does so by itself within a second of a change. Removed keys lose their",
        "connections."
      })
  static final class Reload implements Callable<Integer> {
    @Option(
        names = "--home",
        paramLabel = "DIR",
        defaultValue = "fedlink-home/superlink",
        description = "The SuperLink's --home (default: ${DEFAULT-VALUE}).")
    Path home;

    @Override
    public Integer call() throws InterruptedException {
      if (!ReloadRequest.send(home, Duration.ofSeconds(5))) {
        throw new FedlinkException(
            ErrorCode.UNAVAILABLE,
            "no SuperLink took the reload request within 5 s: is one running with --home "
                + home
                + " and node authentication on?");
      }
      System.out.println("the SuperLink re-read its known keys; its log lists what changed");
      return 0;
    }
  }
}
