package org.fedlink.supernode.auth;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.AuthMetadata;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.transport.ClientKeys;

/**
 * A SuperNode's authentication: its key pair and the SuperLink's public key, from which every Fleet
 * call gets a token. The SuperLink's key is learnt over the CA-verified TLS connection before the
 * first call; a pinned copy is optional and must then match. The node's identity in {@code
 * CreateNode} is its public key blob, so the same key always gets the same node id. Thread-safe.
 */
public final class NodeAuthentication {
  private static final Metadata.Key<String> CLOCK_SKEW =
      Metadata.Key.of(AuthMetadata.CLOCK_SKEW_TRAILER, Metadata.ASCII_STRING_MARSHALLER);

  private final ClientKeys keys;

  private NodeAuthentication(ClientKeys keys) {
    this.keys = keys;
  }

  /**
   * Loads and checks the keys.
   *
   * @param privateKey {@code --auth-supernode-private-key} (OpenSSH; FEDLINK_KEY_PASSPHRASE if
   *     encrypted)
   * @param publicKey {@code --auth-supernode-public-key}
   * @param superlinkPublicKey {@code --auth-superlink-public-key}, an optional pin (null: use the
   *     key the SuperLink serves)
   * @throws org.fedlink.core.FedlinkException CONFIGURATION naming the flag and file if a file is
   *     missing or malformed, the pair does not match, or the curves differ from the pinned key's
   */
  public static NodeAuthentication load(Path privateKey, Path publicKey, Path superlinkPublicKey) {
    return new NodeAuthentication(
        ClientKeys.load("supernode", privateKey, publicKey, superlinkPublicKey));
  }

  /** What the node sends as identity in {@code CreateNode}: its public key blob. */
  public byte[] identity() {
    return keys.publicKey().blob();
  }

  /** The node's public key fingerprint, {@code SHA256:...}. */
  public String fingerprint() {
    return keys.publicKey().fingerprint();
  }

  /** The interceptor that signs every Fleet call. */
  public ClientInterceptor interceptor() {
    return keys.interceptor();
  }

  /**
   * The one line a refused node prints: the likely causes and what to do about each.
   *
   * @param superlink where the SuperLink listens, for the message
   */
  public String refusedMessage(String superlink) {
    OpenSshPublicKey link = keys.superlinkKey();
    return "the SuperLink at "
        + superlink
        + " refused this node (access denied). Most likely it does not know this node's public"
        + " key "
        + keys.publicKey().fingerprint()
        + ": its admin must add the line of "
        + keys.publicKeyFile().toAbsolutePath()
        + " to the SuperLink's --auth-list-public-keys file (it is re-read when it changes)."
        + " Otherwise check that this machine's clock is right"
        + (link == null ? "" : " (the SuperLink's key is " + link.fingerprint() + ")")
        + ". Retrying with backoff.";
  }

  /**
   * The line for a SuperLink that refused this node's timestamp: its clock is {@code skewMillis}
   * ahead of this machine's (behind if negative).
   */
  static String clockMessage(String superlink, long skewMillis) {
    long seconds = Math.round(Math.abs(skewMillis) / 1000.0);
    return "the SuperLink at "
        + superlink
        + " refused the timestamp: this machine's clock differs by about "
        + seconds
        + " s ("
        + (skewMillis > 0 ? "behind" : "ahead of")
        + " the SuperLink's); set the clock right (e.g. enable NTP). Retrying with backoff.";
  }

  /**
   * The line a node prints when a Fleet call ends {@code UNAUTHENTICATED}: the node's own refusal
   * (e.g. a SuperLink key that differs from the pinned one, naming both fingerprints) if this node
   * refused, else {@link #refusedMessage}.
   */
  public String refusedMessage(String superlink, StatusRuntimeException refusal) {
    Status status = refusal.getStatus();
    Metadata trailers = refusal.getTrailers();
    String skew = trailers == null ? null : trailers.get(CLOCK_SKEW);
    if (skew != null) {
      try {
        return clockMessage(superlink, Long.parseLong(skew));
      } catch (NumberFormatException notANumber) {
        // not from a Fedlink SuperLink: the general message below
      }
    }
    if (status.getCause() instanceof FedlinkException local) {
      return "this node refuses the SuperLink at "
          + superlink
          + ": "
          + local.getMessage()
          + ". Retrying with backoff.";
    }
    return refusedMessage(superlink);
  }
}
