package org.fedlink.crypto.channel;

import java.util.Optional;

/**
 * The parties this component's administrator registered (with {@code fedlink certificate
 * register}): the only ones whose MPC messages it accepts and to whom it encrypts.
 *
 * <p>Implementations must be thread-safe; a lookup reflects registrations made before it (a deleted
 * party is refused from then on). Component ids compare exactly (case-sensitive).
 */
@FunctionalInterface
public interface PartyDirectory {
  /**
   * The registration of {@code componentId}, or empty if it is not registered.
   *
   * @throws RuntimeException only if the backing store fails; never for an unknown id
   */
  Optional<RegisteredParty> lookup(String componentId);
}
