package org.fedlink.crypto.secagg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The public modulus N of Joye-Libert secure aggregation: a product of two large primes whose
 * factors nobody keeps (whoever knows them can unmask every node's update).
 *
 * <p>Every instance obtained from {@link #of}, {@link #load} or {@link #defaultBiprime} has been
 * validated: at least {@link #MIN_BITS} bits, odd, not prime, not a perfect square, and no prime
 * factor below 2^16. Validation cannot prove that N has exactly two large factors or that the
 * factors were discarded; that is the job of the process described in {@link BiprimeGenerator} and
 * of who ran it.
 *
 * <p>The file format is described in {@link BiprimeFile}. Immutable and thread-safe.
 */
public final class Biprime {
  /** The smallest accepted modulus size in bits. */
  public static final int MIN_BITS = 1024;

  private final BigInteger n;
  private final String fingerprint;

  private Biprime(BigInteger n) {
    this.n = n;
    this.fingerprint = fingerprintOf(n);
  }

  /**
   * Validates {@code n} and wraps it.
   *
   * @throws InvalidAlgorithmParameterException if {@code n} is too small, even, prime, a perfect
   *     square or has a small prime factor; the message names the failed check and the size
   */
  public static Biprime of(BigInteger n) throws InvalidAlgorithmParameterException {
    Objects.requireNonNull(n, "n");
    int bits = n.bitLength();
    if (n.signum() <= 0 || bits < MIN_BITS) {
      throw new InvalidAlgorithmParameterException(
          "biprime has " + bits + " bits; at least " + MIN_BITS + " are required");
    }
    if (!n.testBit(0)) {
      throw new InvalidAlgorithmParameterException("biprime of " + bits + " bits is even");
    }
    if (n.sqrt().pow(2).equals(n)) {
      throw new InvalidAlgorithmParameterException(
          "biprime of " + bits + " bits is a perfect square (p = q)");
    }
    int small = SmallPrimes.smallestFactor(n);
    if (small != 0) {
      throw new InvalidAlgorithmParameterException(
          "biprime of " + bits + " bits has the small prime factor " + small);
    }
    if (n.isProbablePrime(64)) {
      throw new InvalidAlgorithmParameterException(
          "biprime of " + bits + " bits is prime; it must be a product of two primes");
    }
    return new Biprime(n);
  }

  /** Wraps {@code n} without validation: for known-answer tests with tiny parameters only. */
  static Biprime unvalidated(BigInteger n) {
    return new Biprime(n);
  }

  /**
   * Reads and validates a biprime file ({@link BiprimeFile} format).
   *
   * @throws IOException if the file cannot be read
   * @throws InvalidAlgorithmParameterException if the file is malformed, its fingerprint or bit
   *     count does not match N, or N fails validation
   */
  public static Biprime load(Path file) throws IOException, InvalidAlgorithmParameterException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return of(BiprimeFile.parse(text, file.toString()));
  }

  /**
   * The biprime shipped with Fedlink for {@code bits} = 1024 or 2048. Its factors were discarded at
   * generation (see the PROVENANCE file next to it); use it only where the configuration allows
   * default biprimes.
   *
   * @throws InvalidAlgorithmParameterException if no default exists for {@code bits}
   */
  public static Biprime defaultBiprime(int bits) throws InvalidAlgorithmParameterException {
    if (bits != 1024 && bits != 2048) {
      throw new InvalidAlgorithmParameterException(
          "no default biprime of " + bits + " bits; shipped sizes are 1024 and 2048");
    }
    String name = "biprime-" + bits + ".txt";
    try (InputStream in = Biprime.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing from fedlink-crypto");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return of(BiprimeFile.parse(text, name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }

  /** N itself. */
  public BigInteger modulus() {
    return n;
  }

  /** The bit length of N. */
  public int bits() {
    return n.bitLength();
  }

  /** Lower-case hex SHA-256 of N as a big-endian unsigned integer of ceil(bits/8) bytes. */
  public String fingerprint() {
    return fingerprint;
  }

  static String fingerprintOf(BigInteger n) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return BiprimeFile.hex(sha.digest(unsignedBytes(n)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }

  static byte[] unsignedBytes(BigInteger n) {
    byte[] raw = n.toByteArray();
    int length = (n.bitLength() + 7) / 8;
    byte[] out = new byte[length];
    System.arraycopy(raw, raw.length - length, out, 0, length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Biprime other && n.equals(other.n);
  }

  @Override
  public int hashCode() {
    return n.hashCode();
  }

  @Override
  public String toString() {
    return "Biprime[bits=" + bits() + ", sha256=" + fingerprint + "]";
  }
}
