package org.fedlink.supernode.secagg;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.fedlink.crypto.channel.PartyDirectory;
import org.fedlink.crypto.channel.RegisteredParty;

/**
 * Trusts a TLS peer only if the leaf certificate it presents is, byte for byte, the MPC certificate
 * registered for the component its subject O names. There is no CA and no chain building: trust
 * comes from the administrator's registration, as for sealed messages.
 *
 * <p>It deliberately performs no host-name check, even when the TLS engine asks for one (being an
 * {@link X509ExtendedTrustManager}, the JDK and Netty leave that check to it): a party is dialled
 * at the ip:port its registration names, which need not match the host its self-signed certificate
 * carries, and pinning the exact certificate is a stronger check than any name match. Thread-safe
 * if the directory is.
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final PartyDirectory parties;

  private PinnedTrustManager(PartyDirectory parties) {
    this.parties = Objects.requireNonNull(parties, "parties");
  }

  /** Trusts every party registered in {@code parties} (the server side of a node's endpoint). */
  static PinnedTrustManager registered(PartyDirectory parties) {
    return new PinnedTrustManager(parties);
  }

  /** Trusts {@code party} alone (the client side, dialling that party). */
  static PinnedTrustManager only(RegisteredParty party) {
    Objects.requireNonNull(party, "party");
    return new PinnedTrustManager(
        id -> id.equals(party.componentId()) ? Optional.of(party) : Optional.empty());
  }

  /**
   * The registered party whose certificate {@code chain} starts with.
   *
   * @throws CertificateException if the chain is empty, the leaf's subject has no single O, no
   *     party is registered under that O, the leaf differs from the registered certificate, or it
   *     is outside its validity period
   */
  RegisteredParty check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the MPC peer presented no certificate");
    }
    X509Certificate leaf = chain[0];
    String component = MpcTls.componentOf(leaf);
    RegisteredParty party =
        parties
            .lookup(component)
            .orElseThrow(
                () ->
                    new CertificateException(
                        "MPC peer presents a certificate for component '"
                            + component
                            + "', which is not registered here; register it with fedlink"
                            + " certificate register"));
    if (!MessageDigest.isEqual(encoded(leaf), encoded(party.certificate().certificate()))) {
      throw new CertificateException(
          "MPC peer presents a certificate for component '"
              + component
              + "' that differs from the one registered here; re-register its current"
              + " certificate");
    }
    leaf.checkValidity();
    return party;
  }

  private static byte[] encoded(X509Certificate c) throws CertificateEncodingException {
    return c.getEncoded();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
