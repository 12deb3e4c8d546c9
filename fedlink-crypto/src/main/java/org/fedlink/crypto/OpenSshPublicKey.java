package org.fedlink.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;
import org.fedlink.crypto.internal.EcPoints;
import org.fedlink.crypto.internal.SshReader;
import org.fedlink.crypto.internal.SshWriter;

/**
 * An OpenSSH ECDSA public key, as one line of a {@code .pub} file: {@code ecdsa-sha2-nistp384
 * AAAA... comment}.
 *
 * <p>Immutable and thread-safe. Two keys are equal when their key blobs are equal; the comment is
 * not part of the identity. The point is checked to lie on its curve when parsed.
 */
public final class OpenSshPublicKey {
  private final SshCurve curve;
  private final ECPublicKey publicKey;
  private final byte[] blob;
  private final String comment;

  private OpenSshPublicKey(SshCurve curve, ECPublicKey publicKey, byte[] blob, String comment) {
    this.curve = curve;
    this.publicKey = publicKey;
    this.blob = blob;
    this.comment = comment;
  }

  /**
   * Wraps a JDK EC public key.
   *
   * @param comment the comment written after the key, or {@code null} for none
   * @throws KeyFormatException if the key is not on a supported curve or not a valid point
   */
  public static OpenSshPublicKey of(ECPublicKey key, String comment) throws KeyFormatException {
    SshCurve curve = SshCurve.of(key);
    try {
      EcPoints.checkOnCurve(key.getW(), curve.params());
    } catch (GeneralSecurityException e) {
      throw new KeyFormatException(null, 0, e.getMessage(), e);
    }
    byte[] blob =
        new SshWriter()
            .writeString(curve.keyType())
            .writeString(curve.sshName())
            .writeBytes(EcPoints.encode(key.getW(), curve.fieldBytes()))
            .toByteArray();
    return new OpenSshPublicKey(curve, key, blob, comment == null ? "" : comment.strip());
  }

  /**
   * Parses the SSH wire-format key blob (what the base64 field of a {@code .pub} line holds).
   *
   * @throws KeyFormatException if the blob is not an ECDSA nistp256/384/521 key or is malformed
   */
  public static OpenSshPublicKey fromBlob(byte[] blob, String comment) throws KeyFormatException {
    try {
      SshReader r = new SshReader(blob);
      String type = r.readString();
      if (!type.startsWith("ecdsa-sha2-")) {
        throw new KeyFormatException(
            null,
            "unsupported key type '"
                + type
                + "'; allowed: ecdsa-sha2-nistp256/384/521 (make one with: ssh-keygen -t ecdsa -b"
                + " 384)");
      }
      SshCurve curve = SshCurve.of(type);
      if (!type.equals(curve.keyType())) {
        throw new KeyFormatException(
            null, "unsupported key type '" + type + "'; allowed: ecdsa-sha2-nistp256/384/521");
      }
      String name = r.readString();
      if (!name.equals(curve.sshName())) {
        throw new KeyFormatException(
            null, "key type " + type + " names curve '" + name + "', expected " + curve.sshName());
      }
      ECPoint w = EcPoints.decode(r.readBytes(), curve.params(), curve.fieldBytes());
      if (r.hasRemaining()) {
        throw new KeyFormatException(null, "trailing bytes after the public key blob");
      }
      ECPublicKey key = EcPoints.publicKey(w, curve.params());
      return new OpenSshPublicKey(curve, key, blob.clone(), comment == null ? "" : comment.strip());
    } catch (KeyFormatException e) {
      throw e;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new KeyFormatException(null, 0, "malformed public key blob: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one public key line: {@code <type> <base64 blob> [comment]}. The type field must agree
   * with the type inside the blob.
   *
   * @throws KeyFormatException if the line is not a supported OpenSSH ECDSA public key
   */
  public static OpenSshPublicKey parse(String line) throws KeyFormatException {
    String[] parts = line.strip().split("\\s+", 3);
    if (parts.length < 2) {
      throw new KeyFormatException(
          null, "expected '<key type> <base64 key> [comment]', got " + parts.length + " field(s)");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException(null, 0, "key field is not valid base64", e);
    }
    OpenSshPublicKey key = fromBlob(blob, parts.length > 2 ? parts[2] : "");
    if (!parts[0].equals(key.curve.keyType())) {
      throw new KeyFormatException(
          null,
          "key type field '" + parts[0] + "' does not match the key, which is " + key.keyType());
    }
    return key;
  }

  /**
   * Reads a {@code .pub} file holding one key line.
   *
   * @throws KeyFormatException naming the file if its content is not one valid key line
   * @throws IOException if the file cannot be read
   */
  public static OpenSshPublicKey read(Path file) throws IOException, KeyFormatException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (text.isEmpty() || text.contains("\n")) {
      throw new KeyFormatException(
          file.toString(),
          "expected exactly one public key line, e.g. 'ecdsa-sha2-nistp384 AAAA...'");
    }
    try {
      return parse(text);
    } catch (KeyFormatException e) {
      throw new KeyFormatException(file.toString(), 1, e.getMessage(), e);
    }
  }

  public SshCurve curve() {
    return curve;
  }

  /** Returns the key type, e.g. {@code ecdsa-sha2-nistp384}. */
  public String keyType() {
    return curve.keyType();
  }

  /** Returns the JDK public key, usable with the JDK's ECDH and ECDSA. */
  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** Returns a copy of the SSH wire-format key blob. */
  public byte[] blob() {
    return blob.clone();
  }

  /** Returns the comment, or an empty string. */
  public String comment() {
    return comment;
  }

  /** Returns the fingerprint as {@code ssh-keygen -l} prints it, {@code SHA256:...}. */
  public String fingerprint() {
    return KeyFingerprint.sha256(blob);
  }

  /** Returns the {@code .pub} line: type, base64 blob and, if present, the comment. */
  public String toLine() {
    String base = keyType() + " " + Base64.getEncoder().encodeToString(blob);
    return comment.isEmpty() ? base : base + " " + comment;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OpenSshPublicKey && Arrays.equals(blob, ((OpenSshPublicKey) o).blob);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob);
  }

  /** Returns the key type and fingerprint (never the comment alone, which is not identity). */
  @Override
  public String toString() {
    return keyType() + " " + fingerprint() + (comment.isEmpty() ? "" : " (" + comment + ")");
  }
}
