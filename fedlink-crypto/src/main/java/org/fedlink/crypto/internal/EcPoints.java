package org.fedlink.crypto.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * Validation, encoding and arithmetic of points on the prime-field curves used for node keys.
 * Stateless and thread-safe.
 */
public final class EcPoints {
  private EcPoints() {}

  /** Returns whether two domain parameter sets describe the same curve, generator and order. */
  public static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    EllipticCurve ca = a.getCurve();
    EllipticCurve cb = b.getCurve();
    return fieldPrime(ca.getField()) != null
        && fieldPrime(ca.getField()).equals(fieldPrime(cb.getField()))
        && ca.getA().equals(cb.getA())
        && ca.getB().equals(cb.getB())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }

  /**
   * Checks that a point is a valid public key on the curve: not infinity, coordinates reduced
   * modulo p and satisfying y^2 = x^3 + ax + b. The NIST curves have cofactor 1, so such a point is
   * in the prime-order group.
   *
   * @throws InvalidKeyException if any check fails
   */
  public static void checkOnCurve(ECPoint w, ECParameterSpec params) throws InvalidKeyException {
    BigInteger p = fieldPrime(params.getCurve().getField());
    if (p == null || params.getCofactor() != 1) {
      throw new InvalidKeyException("only prime-field curves with cofactor 1 are supported");
    }
    if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
      throw new InvalidKeyException("public key is the point at infinity");
    }
    BigInteger x = w.getAffineX();
    BigInteger y = w.getAffineY();
    if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
      throw new InvalidKeyException("public key coordinates are not in [0, p)");
    }
    EllipticCurve c = params.getCurve();
    BigInteger lhs = y.multiply(y).mod(p);
    BigInteger rhs = x.multiply(x).add(c.getA()).multiply(x).add(c.getB()).mod(p);
    if (!lhs.equals(rhs)) {
      throw new InvalidKeyException("public key point is not on the curve");
    }
  }

  /** Encodes a point uncompressed: 0x04 || X || Y, each coordinate {@code fieldBytes} long. */
  public static byte[] encode(ECPoint w, int fieldBytes) {
    byte[] out = new byte[1 + 2 * fieldBytes];
    out[0] = 0x04;
    writeFixed(w.getAffineX(), out, 1, fieldBytes);
    writeFixed(w.getAffineY(), out, 1 + fieldBytes, fieldBytes);
    return out;
  }

  /**
   * Decodes an uncompressed point and checks that it is on the curve.
   *
   * @throws InvalidKeyException if the encoding is not uncompressed or the point is invalid
   */
  public static ECPoint decode(byte[] enc, ECParameterSpec params, int fieldBytes)
      throws InvalidKeyException {
    if (enc.length != 1 + 2 * fieldBytes || enc[0] != 0x04) {
      throw new InvalidKeyException(
          "EC point must be uncompressed (0x04, "
              + (1 + 2 * fieldBytes)
              + " bytes); got "
              + enc.length
              + " bytes starting with "
              + (enc.length == 0 ? "nothing" : String.format("0x%02x", enc[0])));
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(enc, 1, 1 + fieldBytes));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(enc, 1 + fieldBytes, enc.length));
    ECPoint w = new ECPoint(x, y);
    checkOnCurve(w, params);
    return w;
  }

  /** Returns d*G on the named curve ({@code secp256r1}, ...), computed with BouncyCastle. */
  public static ECPoint multiplyGenerator(String curveName, BigInteger d) {
    X9ECParameters x9 = CustomNamedCurves.getByName(curveName);
    org.bouncycastle.math.ec.ECPoint q = x9.getG().multiply(d).normalize();
    return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
  }

  /** Builds a JDK ("EC" provider) public key. */
  public static ECPublicKey publicKey(ECPoint w, ECParameterSpec params)
      throws GeneralSecurityException {
    return (ECPublicKey)
        KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
  }

  /** Builds a JDK ("EC" provider) private key. */
  public static ECPrivateKey privateKey(BigInteger d, ECParameterSpec params)
      throws GeneralSecurityException {
    return (ECPrivateKey)
        KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, params));
  }

  /** Writes a non-negative integer big-endian into exactly {@code len} bytes. */
  public static void writeFixed(BigInteger v, byte[] out, int off, int len) {
    byte[] b = v.toByteArray();
    int start = b.length > len ? b.length - len : 0;
    int n = b.length - start;
    System.arraycopy(b, start, out, off + len - n, n);
  }

  private static BigInteger fieldPrime(ECField f) {
    return f instanceof ECFieldFp ? ((ECFieldFp) f).getP() : null;
  }
}
