package org.fedlink.crypto;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Locale;
import org.fedlink.crypto.internal.EcPoints;

/**
 * The NIST curves OpenSSH uses for ECDSA keys ({@code ecdsa-sha2-nistp256/384/521}).
 *
 * <p>{@link #NISTP384} is what {@code ssh-keygen -t ecdsa -b 384} makes and the default for node
 * keys. Immutable and thread-safe.
 */
public enum SshCurve {
  NISTP256("nistp256", "secp256r1", 256),
  NISTP384("nistp384", "secp384r1", 384),
  NISTP521("nistp521", "secp521r1", 521);

  private final String sshName;
  private final String stdName;
  private final int bits;
  private final ECParameterSpec params;

  SshCurve(String sshName, String stdName, int bits) {
    this.sshName = sshName;
    this.stdName = stdName;
    this.bits = bits;
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec(stdName));
      this.params = p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Returns the OpenSSH curve identifier, e.g. {@code nistp384}. */
  public String sshName() {
    return sshName;
  }

  /** Returns the OpenSSH key type, e.g. {@code ecdsa-sha2-nistp384}. */
  public String keyType() {
    return "ecdsa-sha2-" + sshName;
  }

  /** Returns the SEC 2 name, e.g. {@code secp384r1}. */
  public String standardName() {
    return stdName;
  }

  /** Returns the key size in bits (256, 384 or 521), as {@code ssh-keygen -b} takes it. */
  public int bits() {
    return bits;
  }

  /** Returns the length in bytes of a field element (and of an ECDH shared secret). */
  public int fieldBytes() {
    return (bits + 7) / 8;
  }

  /** Returns the JDK domain parameters of this curve. */
  public ECParameterSpec params() {
    return params;
  }

  /**
   * Finds a curve by OpenSSH name ({@code nistp384}), key type ({@code ecdsa-sha2-nistp384}), SEC 2
   * name ({@code secp384r1}) or bit size ({@code 384}), ignoring case.
   *
   * @throws KeyFormatException if the name is none of those
   */
  public static SshCurve of(String name) throws KeyFormatException {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (SshCurve c : values()) {
      if (n.equals(c.sshName)
          || n.equals(c.keyType())
          || n.equals(c.stdName)
          || n.equals(Integer.toString(c.bits))) {
        return c;
      }
    }
    throw new KeyFormatException(
        null, "unsupported curve '" + name + "'; allowed: nistp256, nistp384, nistp521");
  }

  /**
   * Returns the curve of an EC key.
   *
   * @throws KeyFormatException if the key is on another curve
   */
  public static SshCurve of(ECKey key) throws KeyFormatException {
    for (SshCurve c : values()) {
      if (EcPoints.sameCurve(c.params, key.getParams())) {
        return c;
      }
    }
    throw new KeyFormatException(
        null, "EC key is on an unsupported curve; allowed: nistp256, nistp384, nistp521");
  }
}
