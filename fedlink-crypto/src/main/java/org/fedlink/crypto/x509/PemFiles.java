package org.fedlink.crypto.x509;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes the PEM files of MPC certificates: {@code CERTIFICATE} blocks and PKCS#8 {@code
 * PRIVATE KEY} blocks (PKCS#1 {@code RSA PRIVATE KEY} and {@code EC PRIVATE KEY} are also read, for
 * CA-issued keys). Private key files are created owner-only ({@code 0600}) on POSIX file systems,
 * permission set at creation, never after. Stateless and thread-safe.
 */
public final class PemFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PemFiles() {}

  /**
   * Reads the first certificate of a PEM file.
   *
   * @throws IOException if the file cannot be read
   * @throws CertificateException if the file holds no PEM certificate or a malformed one; the
   *     message names the file
   */
  public static X509Certificate readCertificate(Path file)
      throws IOException, CertificateException {
    Object object = readFirstObject(file, "certificate");
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new CertificateException(
          file
              + " is not a PEM certificate: expected a -----BEGIN CERTIFICATE----- block, found "
              + describe(object));
    }
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  /**
   * Reads an unencrypted private key from a PEM file.
   *
   * @throws IOException if the file cannot be read
   * @throws InvalidKeySpecException if the file holds no private key, an encrypted one, or a
   *     malformed one; the message names the file but never shows key material
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException, InvalidKeySpecException {
    Object object;
    try {
      object = readFirstObject(file, "private key");
    } catch (CertificateException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    }
    PrivateKeyInfo info;
    if (object instanceof PrivateKeyInfo i) {
      info = i;
    } else if (object instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else {
      throw new InvalidKeySpecException(
          file
              + " is not an unencrypted PEM private key: expected a -----BEGIN PRIVATE KEY-----"
              + " block, found "
              + describe(object));
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new InvalidKeySpecException(file + " holds a malformed private key", e);
    }
  }

  /** The PEM text of {@code certificate}. */
  public static String toPem(X509Certificate certificate) throws CertificateEncodingException {
    return pem(new PemObject("CERTIFICATE", certificate.getEncoded()));
  }

  static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    try {
      replace(file, toPem(certificate), false);
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the certificate for " + file, e);
    }
  }

  static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    // getEncoded() of a JCA private key is its PKCS#8 PrivateKeyInfo.
    replace(file, pem(new PemObject("PRIVATE KEY", key.getEncoded())), true);
  }

  static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (POSIX) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Writes a sibling temporary file (owner-only if {@code secret}) and moves it over {@code file}.
   */
  private static void replace(Path file, String text, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    FileAttribute<?>[] attributes =
        secret && POSIX
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      if (!secret && POSIX) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Object readFirstObject(Path file, String what)
      throws IOException, CertificateException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (object == null) {
        throw new CertificateException(file + " holds no PEM block; expected a PEM " + what);
      }
      return object;
    } catch (IOException e) {
      if (!Files.isReadable(file)) {
        throw e;
      }
      throw new CertificateException(
          file + " is not a well-formed PEM " + what + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Object object) {
    return object.getClass().getSimpleName();
  }

  private static String pem(PemObject object) {
    StringWriter out = new StringWriter();
    try (Writer writer = out;
        PemWriter pem = new PemWriter(writer)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return out.toString();
  }
}
