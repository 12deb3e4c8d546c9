package org.fedlink.crypto.digest;

import java.security.MessageDigest;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * Adapts a BouncyCastle BLAKE2 digest to {@link MessageDigest}, so that BLAKE2 is used exactly like
 * the JDK's SHA digests (and without registering a JCA provider). Not thread-safe, like every
 * {@link MessageDigest}.
 */
final class Blake2MessageDigest extends MessageDigest implements Cloneable {
  private ExtendedDigest digest;

  Blake2MessageDigest(String algorithm, ExtendedDigest digest) {
    super(algorithm);
    this.digest = digest;
  }

  @Override
  protected int engineGetDigestLength() {
    return digest.getDigestSize();
  }

  @Override
  protected void engineUpdate(byte input) {
    digest.update(input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    digest.update(input, offset, len);
  }

  @Override
  protected byte[] engineDigest() {
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  @Override
  protected void engineReset() {
    digest.reset();
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    Blake2MessageDigest copy = (Blake2MessageDigest) super.clone();
    if (digest instanceof Blake2bDigest b) {
      copy.digest = new Blake2bDigest(b);
    } else {
      copy.digest = new Blake2sDigest((Blake2sDigest) digest);
    }
    return copy;
  }
}
