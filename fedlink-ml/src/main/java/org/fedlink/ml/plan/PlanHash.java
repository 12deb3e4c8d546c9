package org.fedlink.ml.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;

/**
 * The identity of a training-plan JAR: a hash of a canonical form of its content, so that
 * rebuilding the same code gives the same hash whatever the timestamps and entry order.
 *
 * <p>Canonical form, fed to the digest in this order: the length-prefixed tag {@value #TAG}; then,
 * for every file entry sorted by name (UTF-16 order of {@link String#compareTo}), its
 * length-prefixed UTF-8 name and length-prefixed bytes; then, if the manifest has a {@value
 * JarTrainingPlanLoader#PLAN_ATTRIBUTE} attribute, the length-prefixed pseudo-name {@value
 * #ATTRIBUTE_ENTRY} and the length-prefixed UTF-8 attribute value. Lengths are 8-byte big-endian.
 * Directory entries, {@code META-INF/MANIFEST.MF} and signature files ({@code META-INF/*.SF, .RSA,
 * .DSA, .EC}, {@code META-INF/SIG-*}) are left out. Resources other than classes are included: they
 * can change what a plan does; the attribute is included because it chooses which class runs.
 *
 * <p>Stateless and thread-safe.
 */
public final class PlanHash {
  /** Domain-separation tag of this canonical form. */
  public static final String TAG = "fedlink.plan-hash.v1";

  /** Pseudo entry name under which the plan attribute is hashed. */
  public static final String ATTRIBUTE_ENTRY = "META-INF/MANIFEST.MF#Fedlink-Training-Plan";

  /** Largest entry accepted, uncompressed. */
  public static final int MAX_ENTRY_BYTES = 256 << 20;

  private PlanHash() {}

  /**
   * The lower-case hex hash of {@code jar} with {@code algorithm}.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the file does not exist; {@link
   *     ErrorCode#INVALID_ARGUMENT} if it is not a readable JAR, holds two entries of the same name
   *     (a class loader and a hash could then see different code) or an entry over {@link
   *     #MAX_ENTRY_BYTES}
   */
  public static String of(Path jar, HashingAlgorithm algorithm) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(algorithm, "algorithm");
    if (!Files.isRegularFile(jar)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "training plan JAR " + jar + " does not exist; check the path");
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      TreeMap<String, ZipEntry> entries = new TreeMap<>();
      Set<String> names = new HashSet<>();
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        if (!names.add(entry.getName())) {
          throw invalid(jar, "holds two entries named " + entry.getName() + "; rebuild the JAR");
        }
        if (!entry.isDirectory() && !excluded(entry.getName())) {
          entries.put(entry.getName(), entry);
        }
      }
      MessageDigest digest = algorithm.newDigest();
      field(digest, TAG.getBytes(StandardCharsets.UTF_8));
      for (ZipEntry entry : entries.values()) {
        field(digest, entry.getName().getBytes(StandardCharsets.UTF_8));
        field(digest, read(jar, zip, entry));
      }
      String attribute = planAttribute(zip);
      if (attribute != null) {
        field(digest, ATTRIBUTE_ENTRY.getBytes(StandardCharsets.UTF_8));
        field(digest, attribute.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (ZipException e) {
      throw invalid(
          jar,
          "is not a valid JAR (" + e.getMessage() + "); rebuild it with the jar tool or Maven");
    } catch (IOException e) {
      throw invalid(jar, "cannot be read: " + e);
    }
  }

  /** True for entries the canonical form leaves out. */
  static boolean excluded(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    return upper.equals("META-INF/MANIFEST.MF")
        || upper.endsWith(".SF")
        || upper.endsWith(".RSA")
        || upper.endsWith(".DSA")
        || upper.endsWith(".EC")
        || upper.startsWith("META-INF/SIG-");
  }

  /** The trimmed plan attribute of the JAR's manifest, or null. */
  static String planAttribute(ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
    if (entry == null) {
      return null;
    }
    try (InputStream in = zip.getInputStream(entry)) {
      String value =
          new Manifest(in).getMainAttributes().getValue(JarTrainingPlanLoader.PLAN_ATTRIBUTE);
      return value == null || value.isBlank() ? null : value.strip();
    }
  }

  private static byte[] read(Path jar, ZipFile zip, ZipEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(MAX_ENTRY_BYTES + 1);
      if (bytes.length > MAX_ENTRY_BYTES) {
        throw invalid(
            jar, "entry " + entry.getName() + " is larger than " + MAX_ENTRY_BYTES + " bytes");
      }
      return bytes;
    }
  }

  private static void field(MessageDigest digest, byte[] bytes) {
    long n = bytes.length;
    for (int shift = 56; shift >= 0; shift -= 8) {
      digest.update((byte) (n >>> shift));
    }
    digest.update(bytes);
  }

  private static FedlinkException invalid(Path jar, String problem) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT, "training plan JAR " + jar + " " + problem);
  }
}
