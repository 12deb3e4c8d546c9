package org.fedlink.researcher.auth;

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
 * A researcher's authentication to the Control API: its key pair and the SuperLink's public key,
 * from which every Control call gets a token, exactly as nodes sign Fleet calls. Pass {@link
 * #interceptor()} to {@code Experiment.Builder.interceptor} or {@code ControlConnection}. Immutable
 * and thread-safe.
 */
public final class ResearcherAuthentication {
  private final OpenSshPublicKey publicKey;
  private final TokenSigner signer;

  private ResearcherAuthentication(OpenSshPublicKey publicKey, TokenSigner signer) {
    this.publicKey = publicKey;
    this.signer = signer;
  }

  /**
   * Loads and checks the keys.
   *
   * @param privateKey {@code --auth-researcher-private-key}
   * @param publicKey {@code --auth-researcher-public-key}
   * @param superlinkPublicKey {@code --auth-superlink-public-key}
   * @throws FedlinkException CONFIGURATION naming the flag and file if a file is missing or
   *     malformed, the pair does not match, or the curves differ from the SuperLink's
   */
  public static ResearcherAuthentication load(
      Path privateKey, Path publicKey, Path superlinkPublicKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(superlinkPublicKey, "superlinkPublicKey");
    KeyPair pair;
    OpenSshPublicKey own;
    OpenSshPublicKey server;
    try {
      pair = OpenSshKeys.loadPair(privateKey, publicKey);
      own = OpenSshPublicKey.read(publicKey);
    } catch (IOException | KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot use the researcher key pair --auth-researcher-private-key "
              + privateKey
              + " / --auth-researcher-public-key "
              + publicKey
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      server = OpenSshPublicKey.read(superlinkPublicKey);
    } catch (IOException | KeyFormatException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot read --auth-superlink-public-key " + superlinkPublicKey + ": " + e.getMessage(),
          e);
    }
    try {
      return new ResearcherAuthentication(own, new TokenSigner(pair, server));
    } catch (InvalidKeyException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "the researcher key and the SuperLink key cannot agree a shared key: "
              + e.getMessage()
              + "; generate keys on the same curve (ssh-keygen -t ecdsa -b 384)",
          e);
    }
  }

  /** The researcher's public key fingerprint, {@code SHA256:...}. */
  public String fingerprint() {
    return publicKey.fingerprint();
  }

  /** The interceptor that signs every Control call. */
  public ClientInterceptor interceptor() {
    return new SigningInterceptor(this::sign);
  }

  private Metadata sign(String method, byte[] request) {
    return AuthHeaders.of(signer.sign(method, request));
  }

  /** What a refused researcher is told: the likely causes. */
  public String refusedMessage() {
    return "the SuperLink refused this researcher (access denied): its"
        + " --auth-list-researcher-public-keys file must list this key "
        + publicKey.fingerprint()
        + ", --auth-superlink-public-key must be the SuperLink's key, and the clocks must agree";
  }
}
