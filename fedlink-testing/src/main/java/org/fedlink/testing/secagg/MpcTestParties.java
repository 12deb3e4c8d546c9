package org.fedlink.testing.secagg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlink.crypto.channel.InMemoryPartyDirectory;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.x509.CertificateGenerator;
import org.fedlink.crypto.x509.CertificateValidator;
import org.fedlink.crypto.x509.GeneratedCertificate;
import org.fedlink.crypto.x509.PemFiles;

/**
 * MPC certificates for a researcher ({@value #RESEARCHER}) and nodes {@code node-0 .. node-(n-1)},
 * generated into a folder, with each party's registry holding every other party, as {@code
 * certificate dev-setup} would do. For tests and benchmarks. Not thread-safe while being built.
 */
public final class MpcTestParties {
  /** Component id of the researcher. */
  public static final String RESEARCHER = "researcher";

  private final Map<String, MpcIdentity> identities = new LinkedHashMap<>();
  private final Map<String, RegisteredParty> registrations = new LinkedHashMap<>();

  private MpcTestParties() {}

  /** Generates certificates for the researcher and {@code nodes} nodes under {@code dir}. */
  public static MpcTestParties generate(Path dir, int nodes) {
    MpcTestParties p = new MpcTestParties();
    p.add(dir, RESEARCHER);
    for (int i = 0; i < nodes; i++) {
      p.add(dir, nodeComponent(i));
    }
    return p;
  }

  /** The component id of node {@code i}. */
  public static String nodeComponent(int i) {
    return "node-" + i;
  }

  /** Generates one more party (e.g. one nobody registered); returns its identity. */
  public MpcIdentity add(Path dir, String componentId) {
    try {
      GeneratedCertificate g =
          CertificateGenerator.generate(componentId, "localhost", dir.resolve(componentId), true);
      MpcIdentity id = new MpcIdentity(componentId, PemFiles.readPrivateKey(g.privateKeyFile()));
      RegisteredParty reg =
          new RegisteredParty(
              componentId,
              CertificateValidator.validate(g.certificate(), componentId, Instant.now()),
              "127.0.0.1",
              0);
      identities.put(componentId, id);
      registrations.put(componentId, reg);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Registers {@code componentId}'s MPC endpoint (direct transport) at {@code ip:port} in every
   * registry made by {@link #directoryOf} from now on.
   */
  public void endpoint(String componentId, String ip, int port) {
    RegisteredParty r = registrations.get(componentId);
    registrations.put(componentId, new RegisteredParty(componentId, r.certificate(), ip, port));
  }

  public MpcIdentity identity(String componentId) {
    return identities.get(componentId);
  }

  public RegisteredParty registration(String componentId) {
    return registrations.get(componentId);
  }

  /** The registry of {@code componentId}: every other party generated so far. */
  public InMemoryPartyDirectory directoryOf(String componentId) {
    InMemoryPartyDirectory d = new InMemoryPartyDirectory();
    registrations.forEach(
        (id, reg) -> {
          if (!id.equals(componentId)) {
            d.register(reg);
          }
        });
    return d;
  }
}
