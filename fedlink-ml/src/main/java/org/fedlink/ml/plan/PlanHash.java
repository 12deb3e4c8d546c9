package org.fedlink.ml.plan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
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
 * Empty directory entries and {@code META-INF/MANIFEST.MF} are left out; resources other than
 * classes are included: they can change what a plan does; the attribute is included because it
 * chooses which class runs.
 *
 * <p>Everything else a class loader could act on is refused rather than hashed, so that a hash
 * cannot stand for two behaviours: multi-release JARs (a {@code Multi-Release} main manifest
 * attribute, any value, or a {@code META-INF/versions/} entry), a {@code Class-Path} main manifest
 * attribute, {@code META-INF/INDEX.LIST}, nested archives ({@code .jar}, {@code .zip}, {@code
 * .war}, {@code .jmod}), signature files ({@code META-INF/*.SF, .RSA, .DSA, .EC}, {@code
 * META-INF/SIG-*}), a manifest named in another case, a directory entry holding data, duplicate
 * names, JARs over {@link #MAX_ENTRIES} entries or {@link #MAX_TOTAL_BYTES} bytes, and manifests
 * over {@link #MAX_MANIFEST_BYTES} bytes. The other manifest attributes remain outside the hash:
 * load a plan only from a {@link CanonicalPlanJar} copy, whose manifest holds nothing else.
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

  /** Largest sum of the uncompressed entries of a JAR (512 MiB). */
  public static final long MAX_TOTAL_BYTES = 512L << 20;

  /** Most entries in a JAR, directories included. */
  public static final int MAX_ENTRIES = 65_536;

  /**
   * Largest manifest accepted, uncompressed (64 KiB, far above the few hundred bytes build tools
   * write). The JDK's manifest parser logs a warning for every repeated attribute, so a manifest of
   * megabytes costs the node minutes.
   */
  public static final int MAX_MANIFEST_BYTES = 64 * 1024;

  private PlanHash() {}

  /**
   * The lower-case hex hash of {@code jar} with {@code algorithm}.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the file does not exist; {@link
   *     ErrorCode#INVALID_ARGUMENT} if it is not a readable JAR or holds anything the class loader
   *     could act on outside the hash (see the class comment; the message names the entry or
   *     attribute and what to do), or is over a size limit
   */
  public static String of(Path jar, HashingAlgorithm algorithm) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(algorithm, "algorithm");
    try (PlanJarReader reader = PlanJarReader.open(jar)) {
      Canonical canonical = new Canonical(algorithm);
      for (ZipEntry entry : reader.hashedEntries()) {
        canonical.entry(entry.getName(), reader.read(entry));
      }
      return canonical.finish(reader.planAttribute());
    } catch (IOException e) {
      throw PlanJarReader.invalid(jar, "cannot be read: " + e);
    }
  }

  /**
   * The trimmed plan attribute of the JAR's manifest, or null.
   *
   * @throws IOException if the manifest cannot be read or is over {@link #MAX_MANIFEST_BYTES}
   */
  static String planAttribute(ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry(PlanJarReader.MANIFEST);
    if (entry == null) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new IOException("the manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    String value =
        new Manifest(new ByteArrayInputStream(bytes))
            .getMainAttributes()
            .getValue(JarTrainingPlanLoader.PLAN_ATTRIBUTE);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The canonical form, fed to a digest as it is produced. Not thread-safe. */
  static final class Canonical {
    private final MessageDigest digest;

    Canonical(HashingAlgorithm algorithm) {
      digest = algorithm.newDigest();
      field(TAG.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds an entry; entries must come sorted by name. */
    void entry(String name, byte[] bytes) {
      field(name.getBytes(StandardCharsets.UTF_8));
      field(bytes);
    }

    /** Adds the plan attribute (if not null) and returns the lower-case hex hash. */
    String finish(String planAttribute) {
      if (planAttribute != null) {
        field(ATTRIBUTE_ENTRY.getBytes(StandardCharsets.UTF_8));
        field(planAttribute.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    }

    private void field(byte[] bytes) {
      long n = bytes.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        digest.update((byte) (n >>> shift));
      }
      digest.update(bytes);
    }
  }
}
