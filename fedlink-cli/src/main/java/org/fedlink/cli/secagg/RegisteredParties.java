package org.fedlink.cli.secagg;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.fedlink.core.store.Party;
import org.fedlink.core.store.PartyRegistry;
import org.fedlink.crypto.channel.PartyDirectory;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.x509.CertificateValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parties registered with {@code certificate register} (a component's {@code party} table), as
 * secure aggregation sees them. Each lookup reads the table, so a deletion applies at once; a
 * certificate that no longer validates (expired) counts as not registered. Thread-safe.
 */
public final class RegisteredParties implements PartyDirectory {
  private static final Logger log = LoggerFactory.getLogger(RegisteredParties.class);
  private final PartyRegistry registry;

  public RegisteredParties(PartyRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Optional<RegisteredParty> lookup(String componentId) {
    Optional<Party> party = registry.find(componentId);
    if (party.isEmpty()) {
      return Optional.empty();
    }
    Party p = party.get();
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          p.certificatePem().getBytes(StandardCharsets.US_ASCII)));
      return Optional.of(
          new RegisteredParty(
              p.id(),
              CertificateValidator.validate(cert, p.id(), Instant.now()),
              p.ip(),
              p.port()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      log.warn("registered party {} is not usable: {}", componentId, e.getMessage());
      return Optional.empty();
    }
  }
}
