package org.fedlink.cli.secagg;

import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.InvalidKeySpecException;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.PartyRegistry;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.crypto.x509.PemFiles;
import org.fedlink.researcher.Experiment;
import org.fedlink.researcher.secagg.SecureAggregation;
import org.fedlink.researcher.store.ResearcherDatabase;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code fedlink run} options that switch on secure aggregation: the scheme and its parameters
 * ({@link SchemeOptions}, shared with {@code fedlink simulate}) and the researcher's MPC identity.
 */
public final class SecAggOptions {
  @Mixin SchemeOptions scheme = new SchemeOptions();

  @Option(
      names = "--mpc-component-id",
      paramLabel = "ID",
      description = "The researcher's component id (subject O of its MPC certificate).")
  String componentId;

  @Option(
      names = "--mpc-key",
      paramLabel = "FILE",
      description = "The researcher's MPC_certificate.key.")
  Path key;

  @Option(
      names = "--mpc-parties",
      paramLabel = "DIR",
      description = "Folder of the nodes' certificates: cert_<id>/MPC_certificate.pem or <id>.pem.")
  Path parties;

  /**
   * Configures {@code b} for secure aggregation if {@code --secagg} was given: the researcher's
   * identity and the registered parties come from {@code --mpc-*} flags if given, else from its
   * configuration ({@code [default] id}, {@code [mpc] private_key} and {@code transport}, its
   * database's parties).
   *
   * @throws FedlinkException naming the missing or unusable option
   */
  public Experiment.Builder apply(Experiment.Builder b, Optional<FedlinkConfig> config) {
    SecureAggregation s = scheme.secureAggregation();
    if (s == null) {
      return b;
    }
    if (!s.scheme().equals("joye-libert")) {
      // LOM and SecAgg+ need no researcher identity: each node signs its own keys with its MPC
      // certificate and checks its peers' against its own registry.
      return b.secureAggregation(s);
    }
    boolean flags = componentId != null || key != null || parties != null;
    if (config.isEmpty() && (componentId == null || key == null || parties == null)) {
      throw bad(
          "--secagg needs the researcher's identity and registered parties: --config"
              + " researcher.ini, or --mpc-component-id, --mpc-key and --mpc-parties");
    }
    try {
      if (flags) {
        if (componentId == null || key == null || parties == null) {
          throw bad("--mpc-component-id, --mpc-key and --mpc-parties go together");
        }
        s =
            s.identity(new MpcIdentity(componentId, PemFiles.readPrivateKey(key)))
                .parties(new CertificateFolderDirectory(parties));
      } else {
        FedlinkConfig c = config.get();
        s =
            s.identity(SecAggSettings.identity(c))
                .transport(c.get(ConfigKeys.MPC_TRANSPORT))
                .parties(
                    new RegisteredParties(
                        new PartyRegistry(ResearcherDatabase.open(c.path(ConfigKeys.DB)))));
      }
    } catch (IOException | InvalidKeySpecException e) {
      throw bad("cannot read " + key + ": " + e);
    }
    return b.secureAggregation(s);
  }

  /** The biprime of the run (see {@link SchemeOptions#chosenBiprime()}). */
  Biprime chosenBiprime() throws IOException, InvalidAlgorithmParameterException {
    return scheme.chosenBiprime();
  }

  static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
