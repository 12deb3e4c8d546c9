package org.fedlink.supernode.secagg;

import java.security.InvalidAlgorithmParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.Biprime;

/**
 * Decides which biprime a node accepts for a setup: N is never taken from the task, only looked up
 * by fingerprint among the shipped defaults (if {@code allow_default_biprimes}) and the biprimes
 * the node's admin registered, and it must have at least {@code min_biprime_bits}. Thread-safe.
 */
final class BiprimeSelection {
  private final SecureAggregationSettings settings;

  BiprimeSelection(SecureAggregationSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The accepted biprime with this fingerprint.
   *
   * @throws FedlinkException REFUSED naming the fingerprint, the rule and what to do
   */
  Biprime resolve(long nodeId, String fingerprint, int bits) {
    if (bits < settings.minBiprimeBits()) {
      throw refused(
          "biprime of "
              + bits
              + " bits is below [mpc] min_biprime_bits = "
              + settings.minBiprimeBits()
              + " on node "
              + nodeId
              + "; use a larger biprime (--biprime FILE)");
    }
    Biprime dflt = defaultOf(bits);
    if (dflt != null && dflt.fingerprint().equals(fingerprint)) {
      if (!settings.allowDefaultBiprimes()) {
        throw refused(
            "biprime "
                + fingerprint
                + " is a Fedlink default and node "
                + nodeId
                + " has [mpc] allow_default_biprimes = False; use a biprime the node's admin"
                + " registered (fedlink supernode biprime list)");
      }
      return dflt;
    }
    BiprimeStore store = settings.biprimes();
    if (store != null) {
      var found = store.find(fingerprint);
      if (found.isPresent()) {
        return found.get();
      }
    }
    List<String> allowed = new ArrayList<>();
    if (store != null) {
      store.list().forEach(b -> allowed.add(b.fingerprint() + " (" + b.bits() + " bits)"));
    }
    if (settings.allowDefaultBiprimes()) {
      allowed.add("the Fedlink defaults");
    }
    throw refused(
        "biprime "
            + fingerprint
            + " ("
            + bits
            + " bits) is not registered on node "
            + nodeId
            + "; allowed: "
            + (allowed.isEmpty() ? "none" : String.join(", ", allowed))
            + ". The node's admin can register it with fedlink supernode biprime add FILE");
  }

  private static Biprime defaultOf(int bits) {
    try {
      return Biprime.defaultBiprime(bits);
    } catch (InvalidAlgorithmParameterException e) {
      return null;
    }
  }

  private static FedlinkException refused(String message) {
    return new FedlinkException(ErrorCode.REFUSED, message);
  }
}
