package org.fedlink.crypto.channel;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * This component's own MPC identity: its component id and the private key of its MPC certificate
 * ({@code MPC_certificate.key}), which signs what it sends and opens what it receives.
 *
 * @param componentId this component's id (the subject O of its certificate)
 * @param privateKey the certificate's RSA private key; secret, never logged
 */
public record MpcIdentity(String componentId, PrivateKey privateKey) {
  public MpcIdentity {
    Objects.requireNonNull(componentId, "componentId");
    Objects.requireNonNull(privateKey, "privateKey");
    if (componentId.isBlank()) {
      throw new IllegalArgumentException("componentId must not be blank");
    }
  }

  @Override
  public String toString() {
    return "MpcIdentity[" + componentId + ", key hidden]";
  }
}
