package org.fedlink.crypto.channel;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PartyDirectory} held in memory, for tests and embedded use. Thread-safe. */
public final class InMemoryPartyDirectory implements PartyDirectory {
  private final Map<String, RegisteredParty> parties = new ConcurrentHashMap<>();

  /** Registers (or replaces) {@code party}; returns this directory. */
  public InMemoryPartyDirectory register(RegisteredParty party) {
    Objects.requireNonNull(party, "party");
    parties.put(party.componentId(), party);
    return this;
  }

  /** Removes the registration of {@code componentId}, if any. */
  public void delete(String componentId) {
    parties.remove(componentId);
  }

  @Override
  public Optional<RegisteredParty> lookup(String componentId) {
    return Optional.ofNullable(parties.get(Objects.requireNonNull(componentId, "componentId")));
  }
}
