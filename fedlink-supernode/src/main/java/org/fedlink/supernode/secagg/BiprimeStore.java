package org.fedlink.supernode.secagg;

import java.util.List;
import java.util.Optional;
import org.fedlink.crypto.secagg.Biprime;

/**
 * The Joye-Libert biprimes a node's admin registered. A secure setup may use only these (and the
 * shipped defaults when {@code allow_default_biprimes = True}). Implementations are thread-safe.
 */
public interface BiprimeStore {
  /** The registered biprime with this SHA-256 fingerprint (lower-case hex), if any. */
  Optional<Biprime> find(String fingerprint);

  /** Every registered biprime, in registration order. */
  List<Biprime> list();
}
