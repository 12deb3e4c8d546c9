package org.fedlink.supernode.plans;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.plan.CanonicalPlanJar;
import org.fedlink.ml.plan.PlanHash;

/**
 * The training-plan JARs a node received, as files {@code <dir>/<sha256>.jar} named by the SHA-256
 * of their bytes. A file is written under a temporary name and renamed, so a reader never sees half
 * a JAR. Thread-safe.
 */
public final class PlanCache {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final Map<Path, String> verified = new HashMap<>();

  public PlanCache(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Stores {@code jar} after checking that its SHA-256 is {@code expectedSha256}.
   *
   * @return the cached file
   * @throws FedlinkException {@link ErrorCode#INVALID_ARGUMENT} if the name is not a SHA-256 or the
   *     bytes do not match it; {@link ErrorCode#INTERNAL} if the file cannot be written
   */
  public Path store(byte[] jar, String expectedSha256) {
    String name = requireSha(expectedSha256);
    String actual = sha256(jar);
    if (!MessageDigest.isEqual(actual.getBytes(), name.getBytes())) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "the training plan JAR received has SHA-256 "
              + PlanStore.shortHash(actual)
              + " but the task announced "
              + PlanStore.shortHash(name)
              + "; it was altered in transit or the researcher sent the wrong file");
    }
    Path target = file(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      createPrivate(dir);
      Path tmp = Files.createTempFile(dir, name, ".part");
      Files.write(tmp, jar);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot store the training plan JAR in " + dir + ": " + e, e);
    }
  }

  /**
   * The plan hash of a received JAR ({@link PlanHash#of}); a refusal's message for the researcher
   * names the JAR by its SHA-256, not by its path on this node.
   */
  public static String planHash(Path jar, HashingAlgorithm algorithm) {
    try {
      return PlanHash.of(jar, algorithm);
    } catch (FedlinkException e) {
      String name = jar.getFileName().toString();
      throw FedlinkException.withPeerMessage(
          e.code(),
          e.getMessage(),
          e.getMessage().replace(jar.toString(), PlanStore.shortHash(name.replace(".jar", ""))));
    }
  }

  /** The folder under which plan workers get their working folders. */
  public Path workersFolder() {
    return dir.resolve("workers");
  }

  /**
   * The node's own copy of the received JAR {@code sha256}, holding exactly the entries its plan
   * hash covers ({@link CanonicalPlanJar}), written once and hashed again whenever its size, time
   * or file key changed since it was last hashed: the bytes a worker loads are the bytes whose hash
   * was approved.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if the JAR was never received; {@link
   *     ErrorCode#INTERNAL} if the copy cannot be written or no longer hashes to {@code hash}
   */
  public Path verifiedCopy(String sha256, String hash, HashingAlgorithm algorithm) {
    String name = requireSha(sha256);
    Path source =
        find(name)
            .orElseThrow(
                () ->
                    new FedlinkException(
                        ErrorCode.NOT_FOUND,
                        "training plan JAR " + PlanStore.shortHash(name) + " was never received"));
    Path copy = dir.resolve("verified").resolve(name + "-" + algorithm.name() + ".jar");
    synchronized (this) {
      if (!Files.isRegularFile(copy)) {
        createPrivate(copy.getParent());
        CanonicalPlanJar.copy(source, copy, algorithm);
      }
      String stamp = stamp(copy);
      if (stamp.equals(verified.get(copy))) {
        return copy; // hashed since it last changed
      }
      String actual = PlanHash.of(copy, algorithm);
      if (MessageDigest.isEqual(actual.getBytes(), hash.getBytes())) {
        verified.put(copy, stamp);
      } else {
        try {
          Files.deleteIfExists(copy);
        } catch (IOException e) {
          // reported below
        }
        throw new FedlinkException(
            ErrorCode.INTERNAL,
            "the node's copy of training plan "
                + PlanStore.shortHash(hash)
                + " at "
                + copy
                + " hashes to "
                + PlanStore.shortHash(actual)
                + "; it was deleted and is made again at the next task");
      }
    }
    return copy;
  }

  /** Size, modification time and file key of {@code file}: what changes if it is rewritten. */
  private static String stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot read the training plan copy " + file + ": " + e, e);
    }
  }

  /** Creates {@code folder} (and the cache folder) readable by the node's user only. */
  private static void createPrivate(Path folder) {
    try {
      Files.createDirectories(folder);
      try {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException notPosix) {
        // the folder's ACLs apply
      }
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot create the training plan folder " + folder + ": " + e, e);
    }
  }

  /** The cached JAR with this SHA-256, if the node has it. */
  public Optional<Path> find(String sha256) {
    Path f = file(requireSha(sha256));
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  private Path file(String sha) {
    return dir.resolve(sha + ".jar");
  }

  private static String requireSha(String sha) {
    String s = sha == null ? "" : sha.strip().toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(s).matches()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "training plan reference '" + sha + "' is not a SHA-256 (64 hex digits)");
    }
    return s;
  }
}
