package org.fedlink.transport;

import io.grpc.ClientInterceptor;
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

/**
 * The keys with which a SuperNode or a researcher signs its calls to the SuperLink: its OpenSSH key
 * pair and the SuperLink's public key (the ECDH key is derived once, here). Immutable and
 * thread-safe.
 */
public final class ClientKeys {
  private final OpenSshPublicKey publicKey;
  private final Path publicKeyFile;
  private final OpenSshPublicKey superlinkKey;
  private final TokenSigner signer;

  private ClientKeys(
      OpenSshPublicKey publicKey,
      Path publicKeyFile,
      OpenSshPublicKey superlinkKey,
      TokenSigner s) {
    this.publicKey = publicKey;
    this.publicKeyFile = publicKeyFile;
    this.superlinkKey = superlinkKey;
    this.signer = s;
  }

  /**
   * Loads and checks the keys.
   *
   * @param role who signs, for messages: {@code supernode} or {@code researcher} (the flags are
   *     {@code --auth-<role>-private-key} and {@code --auth-<role>-public-key})
   * @throws FedlinkException CONFIGURATION naming the flag and file if a file is missing or
   *     malformed, the pair does not match, or the curves differ from the SuperLink's
   */
  public static ClientKeys load(
      String role, Path privateKey, Path publicKey, Path superlinkPublicKey) {
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
          "cannot use the "
              + role
              + " key pair --auth-"
              + role
              + "-private-key "
              + privateKey
              + " / --auth-"
              + role
              + "-public-key "
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
      return new ClientKeys(own, publicKey, server, new TokenSigner(pair, server));
    } catch (InvalidKeyException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "the "
              + role
              + " key ("
              + own.keyType()
              + ") and the SuperLink key ("
              + server.keyType()
              + ") cannot agree a shared key: "
              + e.getMessage()
              + "; generate keys on the same curve (ssh-keygen -t ecdsa -b 384)",
          e);
    }
  }

  public OpenSshPublicKey publicKey() {
    return publicKey;
  }

  public Path publicKeyFile() {
    return publicKeyFile;
  }

  public OpenSshPublicKey superlinkKey() {
    return superlinkKey;
  }

  /** An interceptor that signs every call made through it. */
  public ClientInterceptor interceptor() {
    return new SigningInterceptor(
        (method, request) -> AuthHeaders.of(signer.sign(method, request)));
  }
}
