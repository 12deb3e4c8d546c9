package org.fedlink.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The console's password, stored as a slow salted hash: PBKDF2 with HMAC-SHA256 (the JDK's), a
 * 16-byte random salt and {@value #ITERATIONS} iterations (OWASP's 2023 figure), in one line {@code
 * pbkdf2-sha256$ITERATIONS$SALT$HASH} (Base64) of a file readable by its owner only, written
 * atomically. Verification compares in constant time. Stateless; thread-safe.
 */
public final class ConsolePassword {
  /** Iterations of new hashes. */
  public static final int ITERATIONS = 600_000;

  /** A stored hash with fewer iterations is refused (a file edited to weaken it). */
  static final int MIN_ITERATIONS = 100_000;

  /** Shortest password accepted. */
  public static final int MIN_LENGTH = 12;

  private static final String SCHEME = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConsolePassword() {}

  /** The password file of a node database: {@code <database>.console-password} beside it. */
  public static Path fileOf(Path database) {
    return database.resolveSibling(database.getFileName() + ".console-password");
  }

  /**
   * Hashes and stores a password, replacing any before.
   *
   * @throws FedlinkException INVALID_ARGUMENT if it is shorter than {@value #MIN_LENGTH}
   *     characters, INTERNAL if the file cannot be written
   */
  public static void set(Path file, char[] password) {
    set(file, password, ITERATIONS);
  }

  /** As {@link #set(Path, char[])} with fewer iterations: for tests that log in many times. */
  static void set(Path file, char[] password, int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException(iterations + " iterations: at least " + MIN_ITERATIONS);
    }
    if (password.length < MIN_LENGTH) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the console password has "
              + password.length
              + " characters: use at least "
              + MIN_LENGTH);
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    String line =
        SCHEME
            + "$"
            + iterations
            + "$"
            + Base64.getEncoder().encodeToString(salt)
            + "$"
            + Base64.getEncoder().encodeToString(hash)
            + "\n";
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, line, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot write the console password file " + file + ": " + e, e);
    }
  }

  /** True if a password was set. */
  public static boolean isSet(Path file) {
    return Files.isRegularFile(file);
  }

  /**
   * Checks a password against the stored hash.
   *
   * @throws FedlinkException CONFIGURATION if no password is set or the file is damaged
   */
  public static boolean matches(Path file, char[] password) {
    String[] parts;
    try {
      parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\$");
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "no console password is set ("
              + file
              + "): set one with `fedlink supernode --config FILE gui set-password`");
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      if (parts.length != 4 || !SCHEME.equals(parts[0]) || iterations < MIN_ITERATIONS) {
        throw new IllegalArgumentException("bad format");
      }
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      byte[] actual = derive(password, salt, iterations);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "the console password file "
              + file
              + " is damaged: set the password again with `fedlink supernode gui set-password`");
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }

  static void wipe(char[] password) {
    Arrays.fill(password, '\0');
  }
}
