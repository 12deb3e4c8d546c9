package org.fedlink.crypto.channel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message signed by its sender and encrypted to its recipient by {@link MpcChannel#seal}. The
 * header (sender id, recipient id, context) is in clear but authenticated; the plaintext and the
 * signature are inside the AES-GCM ciphertext.
 *
 * <p>Byte encoding (version 1), all lengths unsigned 32-bit big-endian:
 *
 * <pre>
 *   "FLSM" | 0x01 | len senderId | senderId (UTF-8) | len recipientId | recipientId
 *        | len context | context | len wrappedKey | wrappedKey (RSA-OAEP) | len iv | iv (12)
 *        | len ciphertext | ciphertext (AES-256-GCM, tag appended)
 * </pre>
 *
 * <p>Immutable and thread-safe: arrays are copied in and out.
 */
public final class SealedMessage {
  private static final byte[] MAGIC = {'F', 'L', 'S', 'M'};
  private static final byte VERSION = 1;
  private static final int MAX_TEXT = 1024;
  private static final int MAX_WRAPPED_KEY = 2048;
  private static final int MAX_CIPHERTEXT = 64 << 20;

  private final String senderId;
  private final String recipientId;
  private final String context;
  private final byte[] wrappedKey;
  private final byte[] iv;
  private final byte[] ciphertext;

  /** Assembles a message; the arguments must not be null. Nothing is verified here. */
  public SealedMessage(
      String senderId,
      String recipientId,
      String context,
      byte[] wrappedKey,
      byte[] iv,
      byte[] ciphertext) {
    this.senderId = Objects.requireNonNull(senderId, "senderId");
    this.recipientId = Objects.requireNonNull(recipientId, "recipientId");
    this.context = Objects.requireNonNull(context, "context");
    this.wrappedKey = Objects.requireNonNull(wrappedKey, "wrappedKey").clone();
    this.iv = Objects.requireNonNull(iv, "iv").clone();
    this.ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
  }

  public String senderId() {
    return senderId;
  }

  public String recipientId() {
    return recipientId;
  }

  public String context() {
    return context;
  }

  /** The AES key wrapped with RSA-OAEP for the recipient. */
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  public byte[] iv() {
    return iv.clone();
  }

  /** AES-256-GCM ciphertext with the 16-byte tag appended. */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** The version-1 byte encoding described in the class comment. */
  public byte[] toBytes() {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(64 + wrappedKey.length + ciphertext.length);
    out.writeBytes(MAGIC);
    out.write(VERSION);
    for (byte[] field :
        new byte[][] {
          utf8(senderId), utf8(recipientId), utf8(context), wrappedKey, iv, ciphertext
        }) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(field.length).array());
      out.writeBytes(field);
    }
    return out.toByteArray();
  }

  /**
   * Parses {@link #toBytes()} output.
   *
   * @throws MalformedMessageException if the magic, version or a length is wrong, a field exceeds
   *     its limit, or bytes are missing or left over
   */
  public static SealedMessage fromBytes(byte[] bytes) throws MalformedMessageException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < 5 || !Arrays.equals(Arrays.copyOf(bytes, 4), MAGIC)) {
      throw new MalformedMessageException("not a sealed message: magic 'FLSM' missing");
    }
    in.position(4);
    byte version = in.get();
    if (version != VERSION) {
      throw new MalformedMessageException(
          "sealed message version " + version + "; this build reads version " + VERSION);
    }
    String sender = text(field(in, "senderId", MAX_TEXT));
    String recipient = text(field(in, "recipientId", MAX_TEXT));
    String ctx = text(field(in, "context", MAX_TEXT));
    byte[] key = field(in, "wrappedKey", MAX_WRAPPED_KEY);
    byte[] nonce = field(in, "iv", Aes256Gcm.IV_BYTES);
    byte[] ct = field(in, "ciphertext", MAX_CIPHERTEXT);
    if (in.hasRemaining()) {
      throw new MalformedMessageException(in.remaining() + " unexpected trailing bytes");
    }
    return new SealedMessage(sender, recipient, ctx, key, nonce, ct);
  }

  private static byte[] field(ByteBuffer in, String name, int max)
      throws MalformedMessageException {
    if (in.remaining() < 4) {
      throw new MalformedMessageException("truncated before the length of " + name);
    }
    int length = in.getInt();
    if (length < 0 || length > max) {
      throw new MalformedMessageException(
          name + " length " + Integer.toUnsignedString(length) + "; allowed 0.." + max);
    }
    if (in.remaining() < length) {
      throw new MalformedMessageException(
          name + " needs " + length + " bytes, only " + in.remaining() + " left");
    }
    byte[] value = new byte[length];
    in.get(value);
    return value;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "SealedMessage["
        + senderId
        + " -> "
        + recipientId
        + ", context "
        + context
        + ", "
        + ciphertext.length
        + " bytes]";
  }
}
