package org.fedlink.supernode.auth;

import io.grpc.ClientInterceptor;
import java.nio.file.Path;
import org.fedlink.transport.ClientKeys;

/**
 * A SuperNode's authentication: its key pair and the SuperLink's public key, from which every Fleet
 * call gets a token. The node's identity in {@code CreateNode} is its public key blob, so the same
 * key always gets the same node id. Immutable and thread-safe.
 */
public final class NodeAuthentication {
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
   * @param superlinkPublicKey {@code --auth-superlink-public-key}
   * @throws org.fedlink.core.FedlinkException CONFIGURATION naming the flag and file if a file is
   *     missing or malformed, the pair does not match, or the curves differ from the SuperLink's
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
    return "the SuperLink at "
        + superlink
        + " refused this node (access denied). Most likely it does not know this node's public"
        + " key "
        + keys.publicKey().fingerprint()
        + ": its admin must add the line of "
        + keys.publicKeyFile().toAbsolutePath()
        + " to the SuperLink's --auth-list-public-keys file (it is re-read when it changes)."
        + " Otherwise check that --auth-superlink-public-key is the SuperLink's key ("
        + keys.superlinkKey().fingerprint()
        + " here) and that this machine's clock is right. Retrying with backoff.";
  }
}
