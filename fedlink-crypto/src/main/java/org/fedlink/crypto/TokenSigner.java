package org.fedlink.crypto;

import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * The client side of node authentication: signs each request with a fresh nonce, the current time
 * and the HMAC under the key shared with the server ({@link EcdhKeyAgreement#deriveKey}).
 *
 * <p>The shared key is derived once, in the constructor. Thread-safe: {@link #sign} may be called
 * concurrently.
 */
public final class TokenSigner {
  /** Length in bytes of the random nonce put in each request. */
  public static final int NONCE_LENGTH = 16;

  private final OpenSshPublicKey ownPublicKey;
  private final String publicKeyLine;
  private final byte[] key;
  private final LongSupplier clockMillis;
  private final SecureRandom random;

  /**
   * Creates a signer with the system clock and a default {@link SecureRandom}.
   *
   * @param own the node's key pair (e.g. from {@link OpenSshPrivateKeyReader})
   * @param serverKey the server's public key
   * @throws InvalidKeyException if the keys are not EC keys on the same supported curve
   */
  public TokenSigner(KeyPair own, OpenSshPublicKey serverKey) throws InvalidKeyException {
    this(own, serverKey, System::currentTimeMillis, new SecureRandom());
  }

  /**
   * Creates a signer with an explicit clock and randomness source (for tests and simulations).
   *
   * @throws InvalidKeyException if the keys are not EC keys on the same supported curve
   */
  public TokenSigner(
      KeyPair own, OpenSshPublicKey serverKey, LongSupplier clockMillis, SecureRandom random)
      throws InvalidKeyException {
    if (!(own.getPublic() instanceof ECPublicKey)) {
      throw new InvalidKeyException("own key pair must be EC, got " + own.getPublic());
    }
    try {
      this.ownPublicKey = OpenSshPublicKey.of((ECPublicKey) own.getPublic(), null);
    } catch (KeyFormatException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
    this.publicKeyLine = ownPublicKey.toLine();
    this.key = EcdhKeyAgreement.deriveKey(own.getPrivate(), serverKey.publicKey());
    this.clockMillis = clockMillis;
    this.random = random;
  }

  /**
   * Returns the authentication metadata of one request.
   *
   * @param method the full RPC method name, e.g. {@code fedlink.v1.Fleet/Heartbeat}
   * @param requestBytes the serialized request exactly as sent
   */
  public AuthMetadata sign(String method, byte[] requestBytes) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    long now = clockMillis.getAsLong();
    byte[] token;
    try {
      token = AuthToken.compute(key, method, now, nonce, requestBytes);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("derived key has the required length", e);
    }
    Base64.Encoder b64 = Base64.getEncoder();
    return new AuthMetadata(
        publicKeyLine, Long.toString(now), b64.encodeToString(nonce), b64.encodeToString(token));
  }

  /** Returns the node's own public key, as sent in {@link AuthMetadata#publicKey()}. */
  public OpenSshPublicKey publicKey() {
    return ownPublicKey;
  }
}
