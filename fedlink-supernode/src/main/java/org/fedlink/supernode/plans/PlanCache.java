package org.fedlink.supernode.plans;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The training-plan JARs a node received, as files {@code <dir>/<sha256>.jar} named by the SHA-256
 * of their bytes. A file is written under a temporary name and renamed, so a reader never sees half
 * a JAR. Thread-safe.
 */
public final class PlanCache {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

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
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, name, ".part");
      Files.write(tmp, jar);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.INTERNAL, "cannot store the training plan JAR in " + dir + ": " + e, e);
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
