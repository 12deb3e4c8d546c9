package org.fedlink.crypto.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * The hash functions a SuperNode may use to identify training plans, named as in the {@code
 * [security] hashing_algorithm} configuration key (the names Fed-BioMed uses).
 *
 * <p>SHA-2 and SHA-3 come from the JDK; BLAKE2b-512 and BLAKE2s-256 from BouncyCastle's lightweight
 * API, wrapped as a {@link MessageDigest} so that callers see one type. The enum is immutable and
 * thread-safe; every {@link #newDigest()} returns a fresh, unshared digest.
 */
public enum HashingAlgorithm {
  SHA256("SHA-256", 32),
  SHA384("SHA-384", 48),
  SHA512("SHA-512", 64),
  SHA3_256("SHA3-256", 32),
  SHA3_384("SHA3-384", 48),
  SHA3_512("SHA3-512", 64),
  /** BLAKE2b with a 512-bit output (RFC 7693). */
  BLAKE2B("BLAKE2b-512", 64),
  /** BLAKE2s with a 256-bit output (RFC 7693). */
  BLAKE2S("BLAKE2s-256", 32);

  private final String standardName;
  private final int digestLength;

  HashingAlgorithm(String standardName, int digestLength) {
    this.standardName = standardName;
    this.digestLength = digestLength;
  }

  /**
   * The algorithm with this configuration name, ignoring case ({@code "sha3_256"} is accepted).
   *
   * @throws NoSuchAlgorithmException if {@code name} is null or not one of the names; the message
   *     lists the allowed names
   */
  public static HashingAlgorithm parse(String name) throws NoSuchAlgorithmException {
    if (name != null) {
      String upper = name.trim().toUpperCase(Locale.ROOT);
      for (HashingAlgorithm a : values()) {
        if (a.name().equals(upper)) {
          return a;
        }
      }
    }
    throw new NoSuchAlgorithmException(
        "hashing algorithm " + name + " is not allowed; use one of " + allowedNames());
  }

  /** The allowed configuration names, comma-separated, in declaration order. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** The conventional algorithm name, e.g. {@code "SHA3-256"} or {@code "BLAKE2b-512"}. */
  public String standardName() {
    return standardName;
  }

  /** Output length in bytes. */
  public int digestLength() {
    return digestLength;
  }

  /**
   * A new digest for this algorithm, not shared with anyone.
   *
   * @throws IllegalStateException if the JDK lacks a SHA-2/SHA-3 implementation, which every Java
   *     17 runtime is required to ship
   */
  public MessageDigest newDigest() {
    switch (this) {
      case BLAKE2B:
        return new Blake2MessageDigest(standardName, new Blake2bDigest(512));
      case BLAKE2S:
        return new Blake2MessageDigest(standardName, new Blake2sDigest(256));
      default:
        try {
          return MessageDigest.getInstance(standardName);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(standardName + " is missing from this Java runtime", e);
        }
    }
  }

  /** Convenience: the digest of {@code data} in one call. */
  public byte[] digest(byte[] data) {
    return newDigest().digest(data);
  }
}
