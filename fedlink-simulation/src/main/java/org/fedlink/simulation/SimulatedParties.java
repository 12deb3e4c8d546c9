package org.fedlink.simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.PartyDirectory;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.x509.CertificateGenerator;
import org.fedlink.crypto.x509.CertificateValidator;
import org.fedlink.crypto.x509.GeneratedCertificate;
import org.fedlink.crypto.x509.PemFiles;

/**
 * The MPC certificates of a simulation's researcher and virtual nodes, and the registry they share:
 * as after {@code certificate dev-setup}, every party has registered every other. Each party's
 * certificate is made as {@code configuration create} makes it ({@link CertificateGenerator}: an
 * RSA-2048 key and a self-signed certificate written 0600 under {@code <work>/mpc/<id>/}), but only
 * when first needed: by the party's own first secure task, or by a peer or the researcher looking
 * it up. A simulation of 10,000 nodes that samples a few hundred generates a few hundred keys
 * (about 0.1 to 0.2 s each); a later simulation in the same work folder reads them back instead.
 * Ids outside the simulation are not registered. Thread-safe.
 */
final class SimulatedParties implements PartyDirectory {
  /** Component id of the simulation's researcher. */
  static final String RESEARCHER = "sim-researcher";

  private record Party(MpcIdentity identity, RegisteredParty registration) {}

  private final Path folder;
  private final int nodes;
  private final ConcurrentMap<String, Lazy> parties = new ConcurrentHashMap<>();

  /** A party made once, outside the map's lock (a key takes a tenth of a second). */
  private final class Lazy {
    private final String id;
    private Party made;

    Lazy(String id) {
      this.id = id;
    }

    synchronized Party get() {
      if (made == null) {
        made = generate(id);
      }
      return made;
    }
  }

  SimulatedParties(Path folder, int nodes) {
    this.folder = folder;
    this.nodes = nodes;
  }

  /** The identity of {@code componentId} (a virtual node's or {@link #RESEARCHER}). */
  MpcIdentity identity(String componentId) {
    return party(componentId).identity();
  }

  @Override
  public Optional<RegisteredParty> lookup(String componentId) {
    if (!registered(componentId)) {
      return Optional.empty();
    }
    return Optional.of(party(componentId).registration());
  }

  /** How many certificates were generated so far. */
  int generated() {
    return (int) parties.values().stream().filter(l -> l.made != null).count();
  }

  private Party party(String componentId) {
    return parties.computeIfAbsent(componentId, Lazy::new).get();
  }

  private boolean registered(String id) {
    if (id.equals(RESEARCHER)) {
      return true;
    }
    if (!id.startsWith("sim-")) {
      return false;
    }
    try {
      int i = Integer.parseInt(id.substring(4));
      return i >= 0 && i < nodes && Simulation.componentId(i).equals(id);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private Party generate(String id) {
    Path dir = folder.resolve(id);
    Path key = dir.resolve(CertificateGenerator.PRIVATE_KEY_FILE);
    Path certificate = dir.resolve(CertificateGenerator.CERTIFICATE_FILE);
    try {
      if (!Files.isRegularFile(key) || !Files.isRegularFile(certificate)) {
        GeneratedCertificate g = CertificateGenerator.generate(id, "localhost", dir, true);
        key = g.privateKeyFile();
        certificate = g.certificateFile();
      }
      // A certificate of an earlier simulation in the same work folder is kept, as a real
      // component keeps its own; one that no longer validates is refused below.
      return new Party(
          new MpcIdentity(id, PemFiles.readPrivateKey(key)),
          new RegisteredParty(id, CertificateValidator.load(certificate, id), "", 0));
    } catch (IOException | GeneralSecurityException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot generate the MPC certificate of " + id + ": " + e);
    }
  }
}
