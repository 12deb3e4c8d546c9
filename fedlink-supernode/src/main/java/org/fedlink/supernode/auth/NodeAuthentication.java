package org.fedlink.supernode.auth;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.KeyFormatException;
import org.fedlink.crypto.OpenSshKeys;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.crypto.TokenSigner;
import org.fedlink.transport.SigningInterceptor;

/**
 * A SuperNode's authentication: its key pair and the SuperLink's public key, from which every Fleet
 * call gets a token (ECDH key derived once, here). The node's identity in {@code CreateNode} is its
 * public key blob, so the same key always gets the same node id. Immutable and thread-safe.
 */
public final class NodeAuthentication {
  private final OpenSshPublicKey publicKey;
  private final Path publicKeyFile;
  private final OpenSshPublicKey superlinkKey;
  private final TokenSigner signer;

  private NodeAuthentication(
      OpenSshPublicKey publicKey,
      Path publicKeyFile,
      OpenSshPublicKey superlinkKey,
      TokenSigner signer) {
    this.publicKey = publicKey;
    this.publicKeyFile = publicKeyFile;
    this.superlinkKey = superlinkKey;
    this.signer = signer;
  }

  /**
   * Loads and checks the keys.
   *
   * @param privateKey {@code --auth-supernode-private-key} (OpenSSH; FEDLINK_KEY_PASSPHRASE if
   *     encrypted)
   * @param publicKey {@code --auth-supernode-public-key}
   * @param superlinkPublicKey {@code --auth-superlink-public-key}
   * @throws FedlinkException CONFIGURATION naming the flag and file if a file is missing or
   *     malformed, the pair does not match, or the curves differ from the SuperLink's
   */
  public static NodeAuthentication load(Path privateKey, Path publicKey, Path superlinkPublicKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(superlinkPublicKey, "superlinkPublicKey");
    KeyPair pair;
    OpenSshPublicKey own;
    try {
      pair = OpenSshKeys.loadPair(privateKey, publicKey);
      own = OpenSshPublicKey.read(publicKey);
    } catch (IOException | KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use the node key pair --auth-supernode-private-key "
              + privateKey
              + " / --auth-supernode-public-key "
              + publicKey
              + ": "
              + e.getMessage(),
          e);
    }
    OpenSshPublicKey server;
    try {
      server = OpenSshPublicKey.read(superlinkPublicKey);
    } catch (IOException | KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot read --auth-superlink-public-key " + superlinkPublicKey + ": " + e.getMessage(),
          e);
    }
    try {
      return new NodeAuthentication(own, publicKey, server, new TokenSigner(pair, server));
    } catch (InvalidKeyException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "the node key ("
              + own.keyType()
              + ") and the SuperLink key ("
              + server.keyType()
              + ") cannot agree a shared key: "
              + e.getMessage()
              + "; generate keys on the same curve (ssh-keygen -t ecdsa -b 384)",
          e);
    }
  }

  /** What the node sends as identity in {@code CreateNode}: its public key blob. */
  public byte[] identity() {
    return publicKey.blob();
  }

  /** The node's public key fingerprint, {@code SHA256:...}. */
  public String fingerprint() {
    return publicKey.fingerprint();
  }

  /** The interceptor that signs every Fleet call. */
  public ClientInterceptor interceptor() {
    return new SigningInterceptor(this::sign);
  }

  private Metadata sign(String method, byte[] request) {
    return AuthHeaders.of(signer.sign(method, request));
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
        + publicKey.fingerprint()
        + ": its admin must add the line of "
        + publicKeyFile.toAbsolutePath()
        + " to the SuperLink's --auth-list-public-keys file (it is re-read when it changes)."
        + " Otherwise check that --auth-superlink-public-key is the SuperLink's key ("
        + superlinkKey.fingerprint()
        + " here) and that this machine's clock is right. Retrying with backoff.";
  }
}
