package org.fedlink.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.fedlink.crypto.internal.EcPoints;
import org.fedlink.crypto.internal.OpenSshPrivateKeyWriter;

/**
 * Node key pairs in OpenSSH files: generation (like {@code ssh-keygen -t ecdsa -N ""}), loading a
 * private/public file pair and checking that the two belong together. Stateless and thread-safe.
 */
public final class OpenSshKeys {
  /** The curve {@code ssh-keygen -t ecdsa -b 384} uses, and the default for node keys. */
  public static final SshCurve DEFAULT_CURVE = SshCurve.NISTP384;

  private OpenSshKeys() {}

  /**
   * Generates a key pair and writes {@code privateKeyFile} (OpenSSH format, unencrypted, created
   * with permissions 0600 where the file system is POSIX) and {@code privateKeyFile + ".pub"}, so
   * that {@code ssh-keygen -y -f privateKeyFile} prints the same key as the {@code .pub} file.
   *
   * @param curve {@code nistp256}, {@code nistp384} or {@code nistp521} (or 256/384/521); {@code
   *     null} means nistp384
   * @param comment comment stored in both files, e.g. {@code user@host}; {@code null} for none
   * @return the public key written
   * @throws java.nio.file.FileAlreadyExistsException if either file exists (never overwritten)
   * @throws IOException if writing fails
   * @throws KeyFormatException if the curve is not supported
   */
  public static OpenSshPublicKey generate(Path privateKeyFile, String curve, String comment)
      throws IOException, KeyFormatException {
    return generate(privateKeyFile, curve == null ? DEFAULT_CURVE : SshCurve.of(curve), comment);
  }

  /** Like {@link #generate(Path, String, String)} with the curve given as a constant. */
  public static OpenSshPublicKey generate(Path privateKeyFile, SshCurve curve, String comment)
      throws IOException, KeyFormatException {
    String c = comment == null ? "" : comment.strip();
    if (c.contains("\n") || c.contains("\r")) {
      throw new KeyFormatException(null, "comment must be a single line");
    }
    Path pubFile = publicKeyFileOf(privateKeyFile);
    if (Files.exists(pubFile)) {
      throw new java.nio.file.FileAlreadyExistsException(pubFile.toString());
    }
    SecureRandom random = new SecureRandom();
    KeyPair pair;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(curve.params(), random);
      pair = gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK EC provider cannot generate " + curve, e);
    }
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    OpenSshPublicKey sshPub = OpenSshPublicKey.of(pub, c);
    String pem =
        OpenSshPrivateKeyWriter.encode(
            sshPub.blob(),
            curve.keyType(),
            curve.sshName(),
            EcPoints.encode(pub.getW(), curve.fieldBytes()),
            (ECPrivateKey) pair.getPrivate(),
            c,
            random);
    writeOwnerOnly(privateKeyFile, pem);
    Files.writeString(pubFile, sshPub.toLine() + "\n", StandardCharsets.UTF_8);
    return sshPub;
  }

  /**
   * Reads a private key file and its public key file and checks that they belong together.
   *
   * @throws KeyFormatException if either file is malformed, or the keys do not match (the message
   *     names both files and both fingerprints)
   * @throws IOException if a file cannot be read
   */
  public static KeyPair loadPair(Path privateKeyFile, Path publicKeyFile)
      throws IOException, KeyFormatException {
    KeyPair pair = OpenSshPrivateKeyReader.read(privateKeyFile);
    OpenSshPublicKey pub = OpenSshPublicKey.read(publicKeyFile);
    if (!matches(pair, pub)) {
      throw new KeyFormatException(
          null,
          "private key "
              + privateKeyFile
              + " ("
              + OpenSshPublicKey.of((ECPublicKey) pair.getPublic(), "").fingerprint()
              + ") does not belong to public key "
              + publicKeyFile
              + " ("
              + pub.fingerprint()
              + "); regenerate the public key with: ssh-keygen -y -f "
              + privateKeyFile
              + " > "
              + publicKeyFile);
    }
    return pair;
  }

  /** Returns whether the key pair's public key is the given OpenSSH public key. */
  public static boolean matches(KeyPair pair, OpenSshPublicKey publicKey) {
    if (!(pair.getPublic() instanceof ECPublicKey)) {
      return false;
    }
    ECPublicKey own = (ECPublicKey) pair.getPublic();
    return EcPoints.sameCurve(own.getParams(), publicKey.curve().params())
        && own.getW().equals(publicKey.publicKey().getW());
  }

  /** Returns the conventional public key file of a private key file: the same path + ".pub". */
  public static Path publicKeyFileOf(Path privateKeyFile) {
    return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    try (SeekableByteChannel ch =
            Files.newByteChannel(
                file,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attrs);
        OutputStream out = Channels.newOutputStream(ch)) {
      out.write(content.getBytes(StandardCharsets.US_ASCII));
    }
  }
}
