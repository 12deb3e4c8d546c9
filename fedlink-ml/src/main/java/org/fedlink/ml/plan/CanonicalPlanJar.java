package org.fedlink.ml.plan;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;

/**
 * Writes a node's private copy of a training-plan JAR that holds exactly what {@link PlanHash}
 * covers, so that nothing outside the hash can reach the class loader.
 *
 * <p>The copy holds the hashed entries of the source (same names, same bytes) sorted by name,
 * stored uncompressed and each stamped 2000-01-01 00:00 (DOS time, the same in every time zone),
 * after a synthesized {@code META-INF/MANIFEST.MF} holding only {@code Manifest-Version: 1.0} and,
 * when the source names one, the {@value JarTrainingPlanLoader#PLAN_ATTRIBUTE} attribute. No
 * directory entries, no other manifest attribute or section, no signature. Its {@link PlanHash}
 * therefore equals the source's, which {@link #copy} checks before publishing it.
 *
 * <p>Intended use on a node: copy the received JAR into a folder only the node can write, hash the
 * copy itself with {@link PlanHash#of}, check that hash against the approvals, and load that same
 * copy with {@link JarTrainingPlanLoader}. The source is read once: what is hashed is what is
 * written.
 *
 * <p>Stateless and thread-safe; concurrent copies to the same target leave one complete copy.
 */
public final class CanonicalPlanJar {
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  private CanonicalPlanJar() {}

  /**
   * Writes the canonical copy of {@code source} to {@code target} and returns its lower-case hex
   * {@link PlanHash} with {@code algorithm} (the same as the source's). The copy is written to a
   * temporary file in the folder of {@code target} (owner read/write only where the file system has
   * POSIX permissions) and moved onto {@code target} atomically, replacing any file there; on
   * failure nothing is left behind and {@code target} is untouched.
   *
   * @throws FedlinkException as {@link PlanHash#of} for {@code source} ({@link
   *     ErrorCode#NOT_FOUND}, {@link ErrorCode#INVALID_ARGUMENT}); {@link ErrorCode#INTERNAL} if
   *     the folder of {@code target} does not exist or cannot be written
   */
  public static String copy(Path source, Path target, HashingAlgorithm algorithm) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(algorithm, "algorithm");
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "canonical plan copy target " + target + " is not a file");
    }
    try (PlanJarReader reader = PlanJarReader.open(source)) {
      Path tmp = createTemp(dir);
      try {
        String hash = write(reader, tmp, algorithm);
        String written = PlanHash.of(tmp, algorithm);
        if (!written.equals(hash)) {
          throw new FedlinkException(
              ErrorCode.INTERNAL,
              "the canonical copy of training plan JAR "
                  + source
                  + " hashes to "
                  + written
                  + " instead of "
                  + hash
                  + "; report this as a bug");
        }
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return hash;
      } catch (IOException | RuntimeException | Error e) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL,
          "cannot write the canonical copy of training plan JAR "
              + source
              + " to "
              + target
              + ": "
              + e
              + "; check that the folder exists and the node may write there",
          e);
    }
  }

  private static String write(PlanJarReader reader, Path tmp, HashingAlgorithm algorithm)
      throws IOException {
    PlanHash.Canonical canonical = new PlanHash.Canonical(algorithm);
    try (OutputStream os = Files.newOutputStream(tmp);
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(os, 1 << 16))) {
      put(zip, PlanJarReader.MANIFEST, manifest(reader.planAttribute()));
      for (ZipEntry entry : reader.hashedEntries()) {
        byte[] bytes = reader.read(entry);
        canonical.entry(entry.getName(), bytes);
        put(zip, entry.getName(), bytes);
      }
    }
    return canonical.finish(reader.planAttribute());
  }

  private static byte[] manifest(String planAttribute) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (planAttribute != null) {
      main.putValue(JarTrainingPlanLoader.PLAN_ATTRIBUTE, planAttribute);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    manifest.write(out);
    return out.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTimeLocal(ENTRY_TIME);
    // Stored, not deflated: writing then costs about what hashing does (deflating is 15 to 40
    // times slower), and the bytes of the copy depend on nothing but the canonical content.
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  private static Path createTemp(Path dir) throws IOException {
    FileAttribute<?>[] ownerOnly =
        dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    return Files.createTempFile(dir, ".plan-", ".jar.part", ownerOnly);
  }
}
