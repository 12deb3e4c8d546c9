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
import picocli.CommandLine.Option;

/** The {@code fedlink run} options that switch on secure aggregation. */
public final class SecAggOptions {
  @Option(
      names = "--secagg",
      paramLabel = "SCHEME",
      description =
          "Secure aggregation scheme: joye-libert, lom or secagg+. Default: none (plain).")
  String scheme;

  @Option(
      names = "--num-shares",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "SecAgg+: holders of each node's secret shares, itself included (odd, at least 3), or 0"
              + " for all nodes (default: ${DEFAULT-VALUE}).")
  int numShares;

  @Option(
      names = "--reconstruction-threshold",
      paramLabel = "T",
      defaultValue = "0",
      description =
          "SecAgg+: shares needed to rebuild a secret, at least 2 and at least half the holders;"
              + " 0 picks the smallest safe value (default: ${DEFAULT-VALUE}).")
  int threshold;

  @Option(
      names = "--clipping-range",
      defaultValue = "3.0",
      description = "Update values are clipped to [-R, R] (default: ${DEFAULT-VALUE}).")
  double clippingRange;

  @Option(
      names = "--biprime",
      paramLabel = "FILE",
      description = "Biprime file every node registered (default: the shipped 2048-bit one).")
  Path biprime;

  @Option(
      names = "--biprime-bits",
      paramLabel = "BITS",
      description =
          "Use the biprime shipped with Fedlink of this size: 2048 (the default) or 1024"
              + " (faster, weaker). Nodes accept it only with [mpc] allow_default_biprimes = True"
              + " and min_biprime_bits at most its size.")
  Integer biprimeBits;

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
    if (scheme == null) {
      return b;
    }
    if (!SecureAggregation.SCHEMES.contains(scheme)) {
      throw bad(
          "--secagg "
              + scheme
              + " is unknown; supported: "
              + String.join(", ", SecureAggregation.SCHEMES));
    }
    if (!scheme.equals("joye-libert")) {
      // LOM and SecAgg+ need no researcher identity: each node signs its own keys with its MPC
      // certificate and checks its peers' against its own registry.
      return b.secureAggregation(
          SecureAggregation.of(scheme)
              .clippingRange(clippingRange)
              .numShares(numShares)
              .reconstructionThreshold(threshold));
    }
    boolean flags = componentId != null || key != null || parties != null;
    if (config.isEmpty() && (componentId == null || key == null || parties == null)) {
      throw bad(
          "--secagg needs the researcher's identity and registered parties: --config"
              + " researcher.ini, or --mpc-component-id, --mpc-key and --mpc-parties");
    }
    SecureAggregation s = SecureAggregation.joyeLibert().clippingRange(clippingRange);
    try {
      s = s.biprime(chosenBiprime());
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
      throw bad("cannot read " + (biprime != null ? biprime + " or " : "") + key + ": " + e);
    } catch (InvalidAlgorithmParameterException e) {
      throw bad(
          (biprime != null ? "--biprime " + biprime : "--biprime-bits " + biprimeBits)
              + " is not usable: "
              + e.getMessage());
    }
    return b.secureAggregation(s);
  }

  /**
   * The biprime of the run: {@code --biprime}'s file, the shipped one of {@code --biprime-bits}, or
   * the shipped {@value SecureAggregation#DEFAULT_BIPRIME_BITS}-bit one.
   */
  Biprime chosenBiprime() throws IOException, InvalidAlgorithmParameterException {
    if (biprime != null && biprimeBits != null) {
      throw bad("--biprime and --biprime-bits exclude each other: choose one");
    }
    if (biprime != null) {
      return Biprime.load(biprime);
    }
    return Biprime.defaultBiprime(
        biprimeBits != null ? biprimeBits : SecureAggregation.DEFAULT_BIPRIME_BITS);
  }

  private static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
