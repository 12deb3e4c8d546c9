package org.fedlink.ml.plan;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * A training-plan JAR opened for hashing or copying. Opening it checks every entry name and the
 * manifest against the rules of {@link PlanHash} before any content is read, so that nothing the
 * class loader acts on is left out of the hash; then it hands out the hashed entries in canonical
 * order and reads them within the size limits.
 *
 * <p>Not thread-safe: one instance per hash or copy, closed after use.
 */
final class PlanJarReader implements Closeable {
  static final String MANIFEST = "META-INF/MANIFEST.MF";

  private final Path jar;
  private final ZipFile zip;
  private final List<ZipEntry> hashed;
  private String planAttribute;
  private long total;

  private PlanJarReader(Path jar, ZipFile zip, List<ZipEntry> hashed) {
    this.jar = jar;
    this.zip = zip;
    this.hashed = hashed;
  }

  /**
   * Opens {@code jar} and checks it.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the file does not exist; {@link
   *     ErrorCode#INVALID_ARGUMENT} if it breaks a rule of {@link PlanHash#of}
   */
  static PlanJarReader open(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "training plan JAR " + jar + " does not exist; check the path");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(jar.toFile());
    } catch (ZipException e) {
      throw invalid(
          jar,
          "is not a valid JAR (" + e.getMessage() + "); rebuild it with the jar tool or Maven");
    } catch (IOException e) {
      throw invalid(jar, "cannot be read: " + e);
    }
    try {
      PlanJarReader reader = new PlanJarReader(jar, zip, check(jar, zip));
      reader.readManifest();
      return reader;
    } catch (IOException e) {
      closeQuietly(zip, e);
      throw invalid(jar, "cannot be read: " + e);
    } catch (IllegalArgumentException e) {
      // ZipFile decodes an entry's comment only when it hands out the entry, and reports bytes
      // that are not UTF-8 so.
      closeQuietly(zip, e);
      throw invalid(
          jar,
          "is not a valid JAR (" + e.getMessage() + "); rebuild it with the jar tool or Maven");
    } catch (RuntimeException e) {
      closeQuietly(zip, e);
      throw e;
    }
  }

  /** The entries the hash covers, sorted by name ({@link String#compareTo}). */
  List<ZipEntry> hashedEntries() {
    return hashed;
  }

  /** The trimmed {@value JarTrainingPlanLoader#PLAN_ATTRIBUTE} of the manifest, or null. */
  String planAttribute() {
    return planAttribute;
  }

  /**
   * The bytes of {@code entry}, as many as its stream gives (the sizes a ZIP declares are not
   * trusted).
   *
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} if the entry cannot be read, or
   *     past {@link PlanHash#MAX_ENTRY_BYTES} for the entry or {@link PlanHash#MAX_TOTAL_BYTES} for
   *     the JAR
   */
  byte[] read(ZipEntry entry) {
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes(PlanHash.MAX_ENTRY_BYTES + 1);
    } catch (IOException e) {
      throw invalid(jar, "entry " + shown(entry.getName()) + " cannot be read: " + e);
    }
    if (bytes.length > PlanHash.MAX_ENTRY_BYTES) {
      throw invalid(
          jar,
          "entry "
              + shown(entry.getName())
              + " is larger than "
              + PlanHash.MAX_ENTRY_BYTES
              + " bytes, the most allowed for one entry; load large data as a dataset");
    }
    total += bytes.length;
    if (total > PlanHash.MAX_TOTAL_BYTES) {
      throw tooLarge(jar);
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }

  /** Applies the name rules to every entry; returns the hashed ones in canonical order. */
  private static List<ZipEntry> check(Path jar, ZipFile zip) throws IOException {
    if (zip.size() > PlanHash.MAX_ENTRIES) {
      throw invalid(
          jar,
          "has "
              + zip.size()
              + " entries, more than the "
              + PlanHash.MAX_ENTRIES
              + " allowed; remove files the plan does not need");
    }
    List<ZipEntry> hashed = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long declared = 0;
    Enumeration<? extends ZipEntry> all = zip.entries();
    while (all.hasMoreElements()) {
      ZipEntry entry = all.nextElement();
      String name = entry.getName();
      if (!names.add(name)) {
        throw invalid(jar, "holds two entries named " + shown(name) + "; rebuild the JAR");
      }
      String refusal = refusal(name);
      if (refusal != null) {
        throw invalid(jar, refusal);
      }
      declared += Math.max(0, entry.getSize());
      if (declared > PlanHash.MAX_TOTAL_BYTES) {
        throw tooLarge(jar);
      }
      if (entry.isDirectory()) {
        // The class loader finds "p/A.class/" when asked for "p/A.class" and there is no such
        // file entry, and directories are not hashed: one holding data could supply a class.
        try (InputStream in = zip.getInputStream(entry)) {
          if (in.read() >= 0) {
            throw invalid(
                jar,
                "has the directory entry "
                    + shown(name)
                    + " holding data; a directory entry must be empty: rebuild the JAR");
          }
        }
      } else if (!name.equals(MANIFEST)) {
        hashed.add(entry);
      }
    }
    hashed.sort(Comparator.comparing(ZipEntry::getName));
    return hashed;
  }

  /**
   * Why an entry of this name is refused, or null if it is allowed. Names are compared ignoring
   * case where the JDK does (META-INF and its special files).
   */
  static String refusal(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.endsWith(".JAR")
        || upper.endsWith(".ZIP")
        || upper.endsWith(".WAR")
        || upper.endsWith(".JMOD")) {
      return "holds the nested archive "
          + shown(name)
          + "; a plan cannot load classes from nested archives: unpack them into the plan JAR"
          + " (a shaded JAR) or leave them out";
    }
    if (!upper.startsWith("META-INF/")) {
      return null;
    }
    if (upper.startsWith("META-INF/VERSIONS/")) {
      return "has the multi-release entry "
          + shown(name)
          + "; multi-release JARs are not supported: remove META-INF/versions/ from the plan JAR";
    }
    if (upper.equals("META-INF/INDEX.LIST")) {
      return "has the entry "
          + shown(name)
          + ", a JAR index that redirects class loading; rebuild the JAR without an index";
    }
    if (upper.indexOf('/', "META-INF/".length()) >= 0) {
      return null;
    }
    if (upper.equals(MANIFEST) && !name.equals(MANIFEST)) {
      return "has the entry "
          + shown(name)
          + "; the manifest must be named exactly "
          + MANIFEST
          + ": rebuild the JAR with the jar tool or Maven";
    }
    if (upper.endsWith(".SF")
        || upper.endsWith(".RSA")
        || upper.endsWith(".DSA")
        || upper.endsWith(".EC")
        || upper.startsWith("META-INF/SIG-")) {
      return "has the signature file "
          + shown(name)
          + "; signed JARs are not supported (the node's approval of the plan hash replaces the"
          + " signature): rebuild the JAR unsigned";
    }
    return null;
  }

  private void readManifest() {
    ZipEntry entry = zip.getEntry(MANIFEST);
    if (entry == null || entry.isDirectory()) {
      return;
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes(PlanHash.MAX_MANIFEST_BYTES + 1);
    } catch (IOException e) {
      throw invalid(jar, "has a manifest that cannot be read: " + e);
    }
    if (bytes.length > PlanHash.MAX_MANIFEST_BYTES) {
      throw invalid(
          jar,
          "has a manifest larger than "
              + PlanHash.MAX_MANIFEST_BYTES
              + " bytes, the most allowed; rebuild the JAR with the jar tool or Maven");
    }
    total += bytes.length;
    Manifest manifest;
    try {
      manifest = new Manifest(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw invalid(
          jar, "has a manifest that cannot be parsed (" + e.getMessage() + "); rebuild the JAR");
    }
    Attributes main = manifest.getMainAttributes();
    if (main.containsKey(Attributes.Name.MULTI_RELEASE)) {
      throw invalid(
          jar,
          "has the manifest attribute 'Multi-Release'; multi-release JARs are not supported:"
              + " remove the attribute from the manifest");
    }
    if (main.containsKey(Attributes.Name.CLASS_PATH)) {
      throw invalid(
          jar,
          "has the manifest attribute 'Class-Path'; a plan cannot load other JARs: put the"
              + " classes it needs into the plan JAR (a shaded JAR) and remove the attribute");
    }
    String value = main.getValue(JarTrainingPlanLoader.PLAN_ATTRIBUTE);
    planAttribute = value == null || value.isBlank() ? null : value.strip();
  }

  /** {@code name} fit for a one-line message: control characters escaped, long names cut. */
  static String shown(String name) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      if (s.length() >= 200) {
        return s + "...";
      }
      char c = name.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c)
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        s.append(String.format("\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }

  private static FedlinkException tooLarge(Path jar) {
    return invalid(
        jar,
        "expands to more than "
            + PlanHash.MAX_TOTAL_BYTES
            + " bytes, the most allowed for a plan; load large data as a dataset");
  }

  static FedlinkException invalid(Path jar, String problem) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT, "training plan JAR " + jar + " " + problem);
  }

  private static void closeQuietly(ZipFile zip, Exception failure) {
    try {
      zip.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
