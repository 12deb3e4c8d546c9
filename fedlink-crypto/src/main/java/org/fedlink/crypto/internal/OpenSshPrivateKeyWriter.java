package org.fedlink.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encodes an unencrypted {@code openssh-key-v1} private key file exactly as {@code ssh-keygen -N
 * ""} does: cipher and kdf {@code none}, one key, random check values, padding 1, 2, 3, ... to a
 * multiple of 8, base64 wrapped at 70 columns. Stateless and thread-safe.
 */
public final class OpenSshPrivateKeyWriter {
  private static final int BLOCK = 8;
  private static final int COLUMNS = 70;

  private OpenSshPrivateKeyWriter() {}

  /**
   * Returns the PEM text of the key file. The caller must zero nothing: the returned string holds
   * the private key, so write it and drop it.
   *
   * @param publicBlob the SSH public key blob
   * @param keyType e.g. {@code ecdsa-sha2-nistp384}
   * @param curveName e.g. {@code nistp384}
   * @param point the uncompressed public point
   */
  public static String encode(
      byte[] publicBlob,
      String keyType,
      String curveName,
      byte[] point,
      ECPrivateKey key,
      String comment,
      SecureRandom random) {
    int check = random.nextInt();
    SshWriter priv =
        new SshWriter()
            .writeUint32(check)
            .writeUint32(check)
            .writeString(keyType)
            .writeString(curveName)
            .writeBytes(point)
            .writeMpint(key.getS())
            .writeString(comment);
    for (int pad = 1; priv.size() % BLOCK != 0; pad++) {
      priv.writeRaw(new byte[] {(byte) pad});
    }
    byte[] privBytes = priv.toByteArray();
    byte[] body =
        new SshWriter()
            .writeRaw("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII))
            .writeString("none")
            .writeString("none")
            .writeBytes(new byte[0])
            .writeUint32(1)
            .writeBytes(publicBlob)
            .writeBytes(privBytes)
            .toByteArray();
    Arrays.fill(privBytes, (byte) 0);
    String b64 = Base64.getEncoder().encodeToString(body);
    Arrays.fill(body, (byte) 0);
    StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for (int i = 0; i < b64.length(); i += COLUMNS) {
      pem.append(b64, i, Math.min(b64.length(), i + COLUMNS)).append('\n');
    }
    return pem.append("-----END OPENSSH PRIVATE KEY-----\n").toString();
  }
}
