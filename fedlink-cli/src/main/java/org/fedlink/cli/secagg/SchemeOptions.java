package org.fedlink.cli.secagg;

import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import org.fedlink.crypto.secagg.Biprime;
import org.fedlink.researcher.secagg.SecureAggregation;
import picocli.CommandLine.Option;

/**
 * The secure-aggregation scheme and its parameters, as {@code fedlink run} and {@code fedlink
 * simulate} take them: {@code --secagg}, the SecAgg+ {@code --num-shares} and {@code
 * --reconstruction-threshold}, {@code --clipping-range}, and the Joye-Libert biprime.
 */
public final class SchemeOptions {
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

  /** The scheme named by {@code --secagg}, or null without it. */
  public String scheme() {
    return scheme;
  }

  /**
   * The scheme with its parameters, without a researcher identity (Joye-Libert still needs one);
   * null without {@code --secagg}.
   *
   * @throws org.fedlink.core.FedlinkException INVALID_ARGUMENT naming the unknown scheme, the
   *     unusable biprime or the bad parameter
   */
  public SecureAggregation secureAggregation() {
    if (scheme == null) {
      return null;
    }
    if (!SecureAggregation.SCHEMES.contains(scheme)) {
      throw SecAggOptions.bad(
          "--secagg "
              + scheme
              + " is unknown; supported: "
              + String.join(", ", SecureAggregation.SCHEMES));
    }
    SecureAggregation s = SecureAggregation.of(scheme).clippingRange(clippingRange);
    if (!scheme.equals("joye-libert")) {
      return s.numShares(numShares).reconstructionThreshold(threshold);
    }
    try {
      return s.biprime(chosenBiprime());
    } catch (IOException e) {
      throw SecAggOptions.bad("cannot read --biprime " + biprime + ": " + e);
    } catch (InvalidAlgorithmParameterException e) {
      throw SecAggOptions.bad(
          (biprime != null ? "--biprime " + biprime : "--biprime-bits " + biprimeBits)
              + " is not usable: "
              + e.getMessage());
    }
  }

  /**
   * The biprime of the run: {@code --biprime}'s file, the shipped one of {@code --biprime-bits}, or
   * the shipped {@value SecureAggregation#DEFAULT_BIPRIME_BITS}-bit one.
   */
  Biprime chosenBiprime() throws IOException, InvalidAlgorithmParameterException {
    if (biprime != null && biprimeBits != null) {
      throw SecAggOptions.bad("--biprime and --biprime-bits exclude each other: choose one");
    }
    if (biprime != null) {
      return Biprime.load(biprime);
    }
    return Biprime.defaultBiprime(
        biprimeBits != null ? biprimeBits : SecureAggregation.DEFAULT_BIPRIME_BITS);
  }
}
