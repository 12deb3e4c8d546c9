package org.fedlink.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.util.Arrays;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.fedlink.crypto.internal.EcPoints;
import org.fedlink.crypto.internal.OpenSshCipher;
import org.fedlink.crypto.internal.SshReader;

/**
 * Reads OpenSSH ECDSA private keys ({@code -----BEGIN OPENSSH PRIVATE KEY-----}, curves nistp256,
 * nistp384 and nistp521) as {@code ssh-keygen -t ecdsa} writes them, into JDK {@code EC} keys.
 *
 * <p>Passphrase-protected keys ({@code bcrypt} KDF, {@code aes256-ctr}, the {@code ssh-keygen}
 * default) are decrypted with the passphrase given, or by {@link #read(Path)} with the value of the
 * environment variable {@value #PASSPHRASE_ENV}. Stateless and thread-safe. Messages name the file
 * and never contain key material.
 */
public final class OpenSshPrivateKeyReader {
  /** Environment variable holding the passphrase of an encrypted private key file. */
  public static final String PASSPHRASE_ENV = "FEDLINK_KEY_PASSPHRASE";

  private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final String PEM_TYPE = "OPENSSH PRIVATE KEY";

  private OpenSshPrivateKeyReader() {}

  /**
   * Reads a key file; if it is encrypted, the passphrase comes from {@value #PASSPHRASE_ENV}.
   *
   * @throws KeyFormatException if the file is not a supported key, is encrypted and no or a wrong
   *     passphrase is available
   * @throws IOException if the file cannot be read
   */
  public static KeyPair read(Path file) throws IOException, KeyFormatException {
    return read(file, passphraseFrom(System.getenv()));
  }

  /**
   * Returns the passphrase held by {@value #PASSPHRASE_ENV} in the given environment, or {@code
   * null} when it is unset.
   */
  public static char[] passphraseFrom(java.util.Map<String, String> environment) {
    String value = environment.get(PASSPHRASE_ENV);
    return value == null ? null : value.toCharArray();
  }

  /**
   * Reads a key file with an explicit passphrase.
   *
   * @param passphrase the passphrase, or {@code null} if the key is expected to be unencrypted
   * @throws KeyFormatException if the file is not a supported key or the passphrase is missing or
   *     wrong
   * @throws IOException if the file cannot be read
   */
  public static KeyPair read(Path file, char[] passphrase) throws IOException, KeyFormatException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), passphrase, file.toString());
  }

  /**
   * Parses the PEM text of a key file.
   *
   * @param source label used in error messages (usually the file path)
   * @throws KeyFormatException if the text is not a supported key or the passphrase is missing or
   *     wrong
   */
  public static KeyPair parse(String pemText, char[] passphrase, String source)
      throws KeyFormatException {
    byte[] data = pemContent(pemText, source);
    try {
      if (data.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
        throw new KeyFormatException(source, "not an openssh-key-v1 key (bad magic)");
      }
      SshReader r = new SshReader(Arrays.copyOfRange(data, MAGIC.length, data.length));
      String cipher = r.readString();
      String kdf = r.readString();
      byte[] kdfOptions = r.readBytes();
      int keys = r.readUint32();
      if (keys != 1) {
        throw new KeyFormatException(source, "holds " + keys + " keys; exactly 1 is supported");
      }
      OpenSshPublicKey declared = OpenSshPublicKey.fromBlob(r.readBytes(), "");
      byte[] section = r.readBytes();
      if (!cipher.equals("none")) {
        section = decrypt(section, cipher, kdf, kdfOptions, passphrase, source);
      }
      return privateSection(section, declared, source, !cipher.equals("none"));
    } catch (KeyFormatException e) {
      throw e.source() == null ? new KeyFormatException(source, 0, e.getMessage(), e) : e;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new KeyFormatException(source, 0, "malformed private key: " + e.getMessage(), e);
    }
  }

  private static byte[] pemContent(String pemText, String source) throws KeyFormatException {
    PemObject pem;
    try (PemReader reader = new PemReader(new StringReader(pemText))) {
      pem = reader.readPemObject();
    } catch (IOException e) {
      throw new KeyFormatException(source, 0, "malformed PEM: " + e.getMessage(), e);
    }
    if (pem == null || !PEM_TYPE.equals(pem.getType())) {
      throw new KeyFormatException(
          source,
          "expected '-----BEGIN "
              + PEM_TYPE
              + "-----' (as written by ssh-keygen -t ecdsa -b 384), found "
              + (pem == null ? "no PEM block" : "'" + pem.getType() + "'"));
    }
    return pem.getContent();
  }

  private static byte[] decrypt(
      byte[] section, String cipher, String kdf, byte[] kdfOptions, char[] pass, String source)
      throws GeneralSecurityException {
    if (pass == null) {
      throw new KeyFormatException(
          source,
          "the key is passphrase-protected; set "
              + PASSPHRASE_ENV
              + " to its passphrase, or remove the passphrase with: ssh-keygen -p -N \"\" -f "
              + source);
    }
    if (!cipher.equals(OpenSshCipher.AES256_CTR) || !kdf.equals("bcrypt")) {
      throw new KeyFormatException(
          source,
          "encrypted with cipher '"
              + cipher
              + "' and kdf '"
              + kdf
              + "'; only aes256-ctr with bcrypt is supported. Re-encrypt with ssh-keygen -p -Z"
              + " aes256-ctr -f "
              + source
              + " or remove the passphrase with ssh-keygen -p -N \"\" -f "
              + source);
    }
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pass));
    byte[] exact = new byte[encoded.remaining()];
    encoded.get(exact);
    Arrays.fill(encoded.array(), (byte) 0);
    try {
      return OpenSshCipher.decrypt(section, kdfOptions, exact);
    } finally {
      Arrays.fill(exact, (byte) 0);
    }
  }

  private static KeyPair privateSection(
      byte[] section, OpenSshPublicKey declared, String source, boolean encrypted)
      throws GeneralSecurityException {
    SshReader r = new SshReader(section);
    try {
      if (r.readUint32() != r.readUint32()) {
        throw new KeyFormatException(
            source,
            encrypted
                ? "wrong passphrase (check " + PASSPHRASE_ENV + " or the passphrase given)"
                : "corrupt private section (check values differ)");
      }
      SshCurve curve = SshCurve.of(r.readString());
      if (curve != declared.curve() || !r.readString().equals(curve.sshName())) {
        throw new KeyFormatException(source, "private key curve differs from its public key");
      }
      ECPoint w = EcPoints.decode(r.readBytes(), curve.params(), curve.fieldBytes());
      BigInteger d = r.readMpint();
      if (d.signum() <= 0 || d.compareTo(curve.params().getOrder()) >= 0) {
        throw new KeyFormatException(source, "private scalar out of range [1, n-1]");
      }
      if (!w.equals(declared.publicKey().getW())
          || !w.equals(EcPoints.multiplyGenerator(curve.standardName(), d))) {
        throw new KeyFormatException(
            source, "private key does not match the public key stored in the same file");
      }
      ECPrivateKey priv = EcPoints.privateKey(d, curve.params());
      ECPublicKey pub = declared.publicKey();
      return new KeyPair(pub, priv);
    } finally {
      Arrays.fill(section, (byte) 0);
    }
  }
}
