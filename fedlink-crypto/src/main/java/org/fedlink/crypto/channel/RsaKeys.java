package org.fedlink.crypto.channel;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.interfaces.RSAKey;

/** Checks that a key is an RSA key of at least {@link #MIN_BITS} bits. Stateless. */
final class RsaKeys {
  static final int MIN_BITS = 2048;

  private RsaKeys() {}

  static void require(Key key, String role) throws InvalidKeyException {
    if (key == null) {
      throw new InvalidKeyException(role + " is null");
    }
    if (!(key instanceof RSAKey rsa)) {
      throw new InvalidKeyException(
          role + " is a " + key.getAlgorithm() + " key; an RSA key is required");
    }
    int bits = rsa.getModulus().bitLength();
    if (bits < MIN_BITS) {
      throw new InvalidKeyException(
          role + " is RSA-" + bits + "; at least RSA-" + MIN_BITS + " is required");
    }
  }
}
