package org.fedlink.researcher.auth;

import io.grpc.ClientInterceptor;
import java.nio.file.Path;
import org.fedlink.transport.ClientKeys;

/**
 * A researcher's authentication to the Control API: its key pair and the SuperLink's public key,
 * from which every Control call gets a token, exactly as nodes sign Fleet calls. The SuperLink's
 * key is learnt over the CA-verified TLS connection before the first call; a pinned copy is
 * optional and must then match. Pass {@link #interceptor()} to {@code
 * Experiment.Builder.interceptor} or {@code ControlConnection}. Immutable and thread-safe.
 */
public final class ResearcherAuthentication {
  private final ClientKeys keys;

  private ResearcherAuthentication(ClientKeys keys) {
    this.keys = keys;
  }

  /**
   * Loads and checks the keys.
   *
   * @param privateKey {@code --auth-researcher-private-key}
   * @param publicKey {@code --auth-researcher-public-key}
   * @param superlinkPublicKey {@code --auth-superlink-public-key}, an optional pin (null: use the
   *     key the SuperLink serves)
   * @throws org.fedlink.core.FedlinkException CONFIGURATION naming the flag and file if a file is
   *     missing or malformed, the pair does not match, or the curves differ from the pinned key's
   */
  public static ResearcherAuthentication load(
      Path privateKey, Path publicKey, Path superlinkPublicKey) {
    return new ResearcherAuthentication(
        ClientKeys.load("researcher", privateKey, publicKey, superlinkPublicKey));
  }

  /** The researcher's public key fingerprint, {@code SHA256:...}. */
  public String fingerprint() {
    return keys.publicKey().fingerprint();
  }

  /** The interceptor that signs every Control call. */
  public ClientInterceptor interceptor() {
    return keys.interceptor();
  }

  /** What a refused researcher is told: the likely causes. */
  public String refusedMessage() {
    return "the SuperLink refused this researcher (access denied): its"
        + " --auth-list-researcher-public-keys file must list this key "
        + keys.publicKey().fingerprint()
        + " and the clocks must agree";
  }
}
