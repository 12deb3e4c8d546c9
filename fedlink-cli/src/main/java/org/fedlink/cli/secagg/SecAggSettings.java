package org.fedlink.cli.secagg;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.spec.InvalidKeySpecException;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.PartyRegistry;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.crypto.channel.MpcIdentity;
import org.fedlink.crypto.x509.PemFiles;
import org.fedlink.supernode.secagg.DirectTransportSettings;
import org.fedlink.supernode.secagg.SecureAggregationSettings;

/**
 * Secure-aggregation settings of a component from its configuration: {@code [security]
 * secure_aggregation} and {@code force_secure_aggregation}, {@code [mpc]} keys, the identity of
 * {@code [default] id} with the key of {@code [mpc] private_key}, and the parties registered in the
 * component's database. Stateless.
 */
public final class SecAggSettings {
  private SecAggSettings() {}

  /** A node's settings. */
  public static SecureAggregationSettings node(FedlinkConfig c, SqliteDatabase db) {
    return policy(c)
        .identity(identity(c))
        .parties(new RegisteredParties(new PartyRegistry(db)))
        .transport(c.get(ConfigKeys.MPC_TRANSPORT))
        .direct(direct(c))
        .build();
  }

  /**
   * A node's policy alone, without identity, parties or transport: {@code [security]
   * secure_aggregation}, {@code force_secure_aggregation}, {@code secure_aggregation_schemes} and
   * the {@code [mpc]} biprime rules (what {@code fedlink simulate --node-config} gives every
   * virtual node).
   */
  public static SecureAggregationSettings.Builder policy(FedlinkConfig c) {
    return SecureAggregationSettings.builder()
        .enabled(c.get(ConfigKeys.SECURE_AGGREGATION))
        .forced(c.get(ConfigKeys.FORCE_SECURE_AGGREGATION))
        .schemes(
            java.util.Arrays.stream(c.get(ConfigKeys.SECURE_AGGREGATION_SCHEMES).split(","))
                .map(String::strip)
                .toList())
        .allowDefaultBiprimes(c.get(ConfigKeys.ALLOW_DEFAULT_BIPRIMES))
        .minBiprimeBits(c.get(ConfigKeys.MIN_BIPRIME_BITS));
  }

  /**
   * With {@code [mpc] transport = direct}: the certificate of {@code [mpc] public_key} and the
   * effective {@code [mpc] ip} and {@code port} (after {@code FEDLINK_MPC_IP} / {@code
   * FEDLINK_MPC_PORT}) the node's MPC endpoint listens on; null with the relay transport.
   *
   * @throws FedlinkException CONFIGURATION naming the certificate file if it cannot be read
   */
  public static DirectTransportSettings direct(FedlinkConfig c) {
    if (!c.get(ConfigKeys.MPC_TRANSPORT).equals("direct")) {
      return null;
    }
    Path pem = c.path(ConfigKeys.MPC_PUBLIC_KEY);
    try {
      return new DirectTransportSettings(
          PemFiles.readCertificate(pem), c.get(ConfigKeys.MPC_IP), c.get(ConfigKeys.MPC_PORT));
    } catch (IOException | CertificateException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          c.file()
              + ": [mpc] public_key "
              + pem
              + " cannot be read: "
              + e.getMessage()
              + " (regenerate it with `certificate generate --force`)");
    }
  }

  /**
   * The component's MPC identity: its id and the private key of its MPC certificate.
   *
   * @throws FedlinkException CONFIGURATION naming the key file if it cannot be read
   */
  public static MpcIdentity identity(FedlinkConfig c) {
    Path key = c.path(ConfigKeys.MPC_PRIVATE_KEY);
    try {
      PrivateKey k = PemFiles.readPrivateKey(key);
      return new MpcIdentity(c.id(), k);
    } catch (IOException | InvalidKeySpecException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          c.file()
              + ": [mpc] private_key "
              + key
              + " cannot be read: "
              + e.getMessage()
              + " (regenerate it with `certificate generate --force`)");
    }
  }
}
