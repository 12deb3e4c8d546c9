package org.fedlink.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Key fingerprints in the form {@code ssh-keygen -l} prints: {@code SHA256:} followed by the
 * unpadded base64 of the SHA-256 digest of the SSH public key blob. Stateless and thread-safe.
 */
public final class KeyFingerprint {
  private KeyFingerprint() {}

  /** Returns the SHA-256 fingerprint of an SSH wire-format public key blob. */
  public static String sha256(byte[] publicKeyBlob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKeyBlob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** Returns the SHA-256 fingerprint of a public key. */
  public static String of(OpenSshPublicKey key) {
    return key.fingerprint();
  }
}
