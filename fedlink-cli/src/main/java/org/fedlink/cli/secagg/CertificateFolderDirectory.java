package org.fedlink.cli.secagg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.PartyDirectory;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.x509.CertificateValidator;

/**
 * A {@link PartyDirectory} read from a folder laid out like a workspace's {@code etc/certs}: the
 * certificate of component C is {@code cert_C/MPC_certificate.pem} (or {@code C.pem}). A stand-in
 * for the registry the {@code certificate register} commands keep in the component's database.
 * Reads on every lookup, so a removed file is refused from then on. Thread-safe.
 */
public final class CertificateFolderDirectory implements PartyDirectory {
  private final Path folder;

  public CertificateFolderDirectory(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION, "--mpc-parties " + folder + " is not a folder");
    }
    this.folder = folder;
  }

  @Override
  public Optional<RegisteredParty> lookup(String componentId) {
    if (componentId.contains("/") || componentId.contains("\\") || componentId.startsWith(".")) {
      return Optional.empty();
    }
    for (Path p :
        new Path[] {
          folder.resolve("cert_" + componentId).resolve("MPC_certificate.pem"),
          folder.resolve(componentId + ".pem")
        }) {
      if (Files.isRegularFile(p)) {
        try {
          return Optional.of(
              new RegisteredParty(componentId, CertificateValidator.load(p, componentId), "", 0));
        } catch (IOException | CertificateException e) {
          throw new FedlinkException(
              ErrorCode.CONFIGURATION, "certificate " + p + " is refused: " + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }
}
