package org.fedlink.researcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingPlan;
import org.fedlink.ml.plan.JarTrainingPlanLoader;
import org.fedlink.transport.TaskKeys;

/**
 * A researcher's training-plan JAR read once into memory, so the bytes sent, the SHA-256 that names
 * them in tasks and the plan loaded locally are the same file. Immutable.
 */
public final class PlanJar {
  private final Path file;
  private final byte[] bytes;
  private final String sha256;

  private PlanJar(Path file, byte[] bytes) {
    this.file = file;
    this.bytes = bytes;
    try {
      this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Reads {@code jar}.
   *
   * @throws FedlinkException {@link ErrorCode#NOT_FOUND} if it does not exist or cannot be read
   */
  public static PlanJar read(Path jar) {
    Objects.requireNonNull(jar, "jar");
    try {
      return new PlanJar(jar, Files.readAllBytes(jar));
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.NOT_FOUND, "cannot read training plan JAR " + jar + ": " + e.getMessage(), e);
    }
  }

  /** The file name, e.g. {@code fedlink-example-plan.jar}. */
  public String name() {
    return file.getFileName().toString();
  }

  /** Lower-case hex SHA-256 of the file's bytes. */
  public String sha256() {
    return sha256;
  }

  /** The plan name tasks carry: {@code jar:<sha256>}. */
  public String taskPlan() {
    return TaskKeys.JAR_PLAN_PREFIX + sha256;
  }

  /** A copy of the file's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Loads the plan locally (the researcher's own code), to initialise the global model.
   *
   * @throws FedlinkException as {@link JarTrainingPlanLoader#open}
   */
  public TrainingPlan load() {
    return JarTrainingPlanLoader.load(file);
  }
}
