package org.fedlink.crypto.channel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * Sign-then-encrypt for the node-to-node messages of the secure-aggregation setup, with the
 * parties' RSA-2048 certificate keys.
 *
 * <ol>
 *   <li>sig = RSASSA-PSS(SHA-256, MGF1-SHA-256, salt 32) by the sender over DS || senderId ||
 *       recipientId || context || plaintext (each length-prefixed), so a recipient cannot forward
 *       the signed plaintext to a third party as if it had been addressed to them;
 *   <li>a fresh AES-256 key k and 96-bit IV encrypt (len sig || sig || plaintext) with AES-GCM, AAD
 *       = DS || senderId || recipientId || context || wrappedKey;
 *   <li>k is wrapped with RSA-OAEP (SHA-256, MGF1-SHA-256) to the recipient's key.
 * </ol>
 *
 * DS is "fedlink/mpc-channel/v1" followed by the length-prefixed purpose "signed" or "aad". {@link
 * #open} checks the header first, then the tag, then the signature. Replay of the same message to
 * the same recipient and context is not detected here: put a round or session identifier in the
 * context and track it. Stateless and thread-safe.
 */
public final class MpcChannel {
  private static final byte[] DOMAIN = "fedlink/mpc-channel/v1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private MpcChannel() {}

  /**
   * Signs {@code plaintext} with the sender's key and encrypts it to the recipient.
   *
   * @throws java.security.InvalidKeyException if a key is not RSA of at least 2048 bits
   * @throws GeneralSecurityException if the JDK refuses an operation
   */
  public static SealedMessage seal(
      byte[] plaintext,
      PrivateKey senderSigningKey,
      String senderId,
      PublicKey recipientKey,
      String recipientId,
      String context)
      throws GeneralSecurityException {
    RsaKeys.require(senderSigningKey, "sender signing key");
    RsaKeys.require(recipientKey, "recipient key");
    byte[] signature =
        RsaPss.sign(senderSigningKey, signedData(senderId, recipientId, context, plaintext));
    byte[] key = new byte[Aes256Gcm.KEY_BYTES];
    byte[] iv = new byte[Aes256Gcm.IV_BYTES];
    RANDOM.nextBytes(key);
    RANDOM.nextBytes(iv);
    try {
      byte[] wrapped = RsaOaep.encrypt(recipientKey, key, new byte[0]);
      byte[] inner =
          ByteBuffer.allocate(4 + signature.length + plaintext.length)
              .putInt(signature.length)
              .put(signature)
              .put(plaintext)
              .array();
      byte[] aad = aad(senderId, recipientId, context, wrapped);
      return new SealedMessage(
          senderId, recipientId, context, wrapped, iv, Aes256Gcm.encrypt(key, iv, inner, aad));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Checks and decrypts a message from {@code expectedSenderId} to {@code recipientId}.
   *
   * @throws MisaddressedMessageException if the header names another sender, recipient or context
   * @throws AEADBadTagException if the key cannot be unwrapped with {@code recipientKey} or the
   *     ciphertext, header or wrapped key was altered
   * @throws SignatureException if the signature does not verify with {@code senderVerifyKey}
   * @throws java.security.InvalidKeyException if a key is not RSA of at least 2048 bits
   */
  public static byte[] open(
      SealedMessage message,
      PrivateKey recipientKey,
      PublicKey senderVerifyKey,
      String expectedSenderId,
      String recipientId,
      String context)
      throws GeneralSecurityException {
    RsaKeys.require(recipientKey, "recipient key");
    RsaKeys.require(senderVerifyKey, "sender verification key");
    expect("sender", message.senderId(), expectedSenderId);
    expect("recipient", message.recipientId(), recipientId);
    expect("context", message.context(), context);
    byte[] wrapped = message.wrappedKey();
    byte[] key;
    try {
      key = RsaOaep.decrypt(recipientKey, wrapped, new byte[0]);
    } catch (GeneralSecurityException e) {
      throw new AEADBadTagException("message key does not unwrap with this recipient's key");
    }
    byte[] inner;
    try {
      if (key.length != Aes256Gcm.KEY_BYTES) {
        throw new AEADBadTagException("unwrapped key has " + key.length + " bytes; expected 32");
      }
      byte[] aad = aad(message.senderId(), message.recipientId(), message.context(), wrapped);
      inner = Aes256Gcm.decrypt(key, message.iv(), message.ciphertext(), aad);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    ByteBuffer in = ByteBuffer.wrap(inner);
    int sigLength = in.remaining() >= 4 ? in.getInt() : -1;
    if (sigLength < 0 || sigLength > in.remaining()) {
      throw new SignatureException("authenticated content holds no well-formed signature");
    }
    byte[] signature = new byte[sigLength];
    in.get(signature);
    byte[] plaintext = new byte[in.remaining()];
    in.get(plaintext);
    RsaPss.verify(
        senderVerifyKey, signedData(expectedSenderId, recipientId, context, plaintext), signature);
    return plaintext;
  }

  private static void expect(String field, String actual, String expected)
      throws MisaddressedMessageException {
    if (!actual.equals(expected)) {
      throw new MisaddressedMessageException(
          "message " + field + " is '" + actual + "'; expected '" + expected + "'");
    }
  }

  private static byte[] signedData(String sender, String recipient, String context, byte[] body) {
    return concat(
        "signed",
        SealedMessage.utf8(sender),
        SealedMessage.utf8(recipient),
        SealedMessage.utf8(context),
        body);
  }

  private static byte[] aad(String sender, String recipient, String context, byte[] wrapped) {
    return concat(
        "aad",
        SealedMessage.utf8(sender),
        SealedMessage.utf8(recipient),
        SealedMessage.utf8(context),
        wrapped);
  }

  /** DS || purpose || fields, each of the last two length-prefixed, so no two inputs collide. */
  private static byte[] concat(String purpose, byte[]... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DOMAIN);
    byte[] p = SealedMessage.utf8(purpose);
    out.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
    out.writeBytes(p);
    for (byte[] f : fields) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(f.length).array());
      out.writeBytes(f);
    }
    return out.toByteArray();
  }
}
