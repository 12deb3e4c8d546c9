package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The full-domain hash H(t, j) into Z*_{N^2}, SHA-256 in counter mode.
 *
 * <p>Definition (version 1): let DS = "fedlink/joye-libert/fdh/v1" (ASCII), nKey = SHA-256(DS ||
 * uint32(len(Nb)) || Nb) with Nb = N as unsigned big-endian bytes. For attempt a = 0, 1, ...:
 * block_k = SHA-256(DS || nKey || int64(t) || int32(j) || int32(a) || int32(k)) for k = 0, 1, ...;
 * the first ceil((|N^2| + 128) / 8) bytes of block_0 || block_1 || ... read as an unsigned
 * big-endian integer, reduced mod N^2, give h. The 128 extra bits make h statistically close to
 * uniform mod N^2. h is returned for the first attempt where gcd(h, N) = 1 (any other attempt would
 * reveal a factor of N, so in practice a = 0). All integers big-endian.
 *
 * <p>Immutable and thread-safe (a fresh MessageDigest per call).
 */
final class FullDomainHash implements MaskHash {
  static final byte[] DOMAIN = "fedlink/joye-libert/fdh/v1".getBytes(StandardCharsets.US_ASCII);

  private final BigInteger n;
  private final BigInteger nSquared;
  private final byte[] nKey;
  private final int outputBytes;

  FullDomainHash(BigInteger n) {
    this.n = n;
    this.nSquared = n.multiply(n);
    byte[] nBytes = Biprime.unsignedBytes(n);
    MessageDigest sha = sha256();
    sha.update(DOMAIN);
    sha.update(ByteBuffer.allocate(4).putInt(nBytes.length).array());
    this.nKey = sha.digest(nBytes);
    this.outputBytes = (nSquared.bitLength() + 128 + 7) / 8;
  }

  @Override
  public BigInteger hash(long round, int index) {
    MessageDigest sha = sha256();
    byte[] out = new byte[outputBytes];
    ByteBuffer suffix = ByteBuffer.allocate(20);
    for (int attempt = 0; ; attempt++) {
      for (int block = 0, offset = 0; offset < outputBytes; block++, offset += 32) {
        sha.update(DOMAIN);
        sha.update(nKey);
        suffix.clear();
        suffix.putLong(round).putInt(index).putInt(attempt).putInt(block);
        byte[] digest = sha.digest(suffix.array());
        System.arraycopy(digest, 0, out, offset, Math.min(32, outputBytes - offset));
      }
      BigInteger h = new BigInteger(1, out).mod(nSquared);
      if (h.gcd(n).equals(BigInteger.ONE)) {
        return h;
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }
}
