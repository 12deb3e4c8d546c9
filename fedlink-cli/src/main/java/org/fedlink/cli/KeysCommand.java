package org.fedlink.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedlink keys generate}. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create authentication keys (the same files as ssh-keygen -t ecdsa).",
    subcommands = {KeysCommand.Generate.class})
final class KeysCommand {

  /** {@code fedlink keys generate --out DIR/name}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write an OpenSSH ECDSA key pair: OUT (owner-only, 0600) and OUT.pub.",
        "The same files as: ssh-keygen -t ecdsa -b 384 -N \\\"\\\" -f OUT. Never overwrites."
      })
  static final class Generate implements Callable<Integer> {
    @Option(
        names = "--out",
        paramLabel = "FILE",
        required = true,
        description = "Private key file to create; the public key goes to FILE.pub.")
    Path out;

    @Option(
        names = "--curve",
        defaultValue = "nistp384",
        description = "nistp256, nistp384 or nistp521 (default: ${DEFAULT-VALUE}).")
    String curve;

    @Option(names = "--comment", description = "Comment stored with the key, e.g. site-1.")
    String comment;

    @Override
    public Integer call() {
      OpenSshPublicKey pub;
      try {
        if (out.getParent() != null) {
          Files.createDirectories(out.getParent());
        }
        pub = OpenSshKeys.generate(out, curve, comment);
      } catch (FileAlreadyExistsException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION,
            e.getFile() + " already exists; keys are never overwritten: choose another --out");
      } catch (KeyFormatException e) {
        throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
      } catch (IOException e) {
        throw new FedlinkException(
            ErrorCode.CONFIGURATION, "cannot write " + out + ": " + e.getMessage(), e);
      }
      System.out.println("private key " + out + " (keep it secret, mode 0600)");
      System.out.println("public key  " + OpenSshKeys.publicKeyFileOf(out) + " " + pub);
      return 0;
    }
  }
}
