package org.fedlink.crypto.secagg;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text format of a biprime file: UTF-8, one {@code key=value} per line, {@code #} comments.
 *
 * <pre>
 * # Fedlink Joye-Libert biprime. The prime factors were discarded at generation.
 * format=fedlink-biprime/1
 * bits=1024
 * n=c0ffee...            (lower-case hex, no prefix)
 * sha256=ab12...         (SHA-256 of N as ceil(bits/8) big-endian unsigned bytes)
 * primes=random          (random | safe)
 * created=2025-01-01T00:00:00Z
 * note=free text
 * </pre>
 *
 * <p>{@code format}, {@code bits}, {@code n} and {@code sha256} are required and must agree; the
 * other keys are informative. There is deliberately no field for p or q. Stateless, thread-safe.
 */
public final class BiprimeFile {
  /** The value of the {@code format} key this version reads and writes. */
  public static final String FORMAT = "fedlink-biprime/1";

  private BiprimeFile() {}

  /**
   * Renders a biprime file.
   *
   * @param primes "random" or "safe", how the factors were drawn
   * @param created an ISO-8601 instant
   * @param note one line of free text (newlines are replaced by spaces)
   */
  public static String format(Biprime biprime, String primes, String created, String note) {
    return "# Fedlink Joye-Libert biprime. The prime factors were discarded at generation.\n"
        + "format="
        + FORMAT
        + "\nbits="
        + biprime.bits()
        + "\nn="
        + biprime.modulus().toString(16)
        + "\nsha256="
        + biprime.fingerprint()
        + "\nprimes="
        + primes
        + "\ncreated="
        + created
        + "\nnote="
        + note.replace('\n', ' ').replace('\r', ' ')
        + "\n";
  }

  /**
   * Parses the text of a biprime file and returns N (not yet validated as a biprime).
   *
   * @param source names the file in error messages
   * @throws InvalidAlgorithmParameterException if a required key is missing, a value is malformed,
   *     or bits/sha256 do not match N
   */
  static BigInteger parse(String text, String source) throws InvalidAlgorithmParameterException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new InvalidAlgorithmParameterException(
            source + ": line '" + abbreviate(line) + "' is not key=value");
      }
      values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    String format = required(values, "format", source);
    if (!FORMAT.equals(format)) {
      throw new InvalidAlgorithmParameterException(
          source + ": format is '" + abbreviate(format) + "'; expected '" + FORMAT + "'");
    }
    BigInteger n;
    int bits;
    try {
      n = new BigInteger(required(values, "n", source), 16);
      bits = Integer.parseInt(required(values, "bits", source));
    } catch (NumberFormatException e) {
      throw new InvalidAlgorithmParameterException(source + ": n or bits is not a number", e);
    }
    if (n.bitLength() != bits) {
      throw new InvalidAlgorithmParameterException(
          source + ": bits=" + bits + " but n has " + n.bitLength() + " bits");
    }
    String expected = required(values, "sha256", source).toLowerCase(java.util.Locale.ROOT);
    String actual = Biprime.fingerprintOf(n);
    if (!expected.equals(actual)) {
      throw new InvalidAlgorithmParameterException(
          source + ": sha256 is " + abbreviate(expected) + " but n hashes to " + actual);
    }
    return n;
  }

  private static String required(Map<String, String> values, String key, String source)
      throws InvalidAlgorithmParameterException {
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      throw new InvalidAlgorithmParameterException(source + ": required key '" + key + "' missing");
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
