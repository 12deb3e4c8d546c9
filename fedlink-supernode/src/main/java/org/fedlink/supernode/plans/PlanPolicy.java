package org.fedlink.supernode.plans;

import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.crypto.digest.HashingAlgorithm;

/**
 * Which training plans a node runs: the {@code [security]} keys {@code
 * allow_default_training_plans}, {@code training_plan_approval} and {@code hashing_algorithm}.
 * Immutable.
 *
 * @param allowDefaultPlans the plans shipped with Fedlink may run
 * @param approvalRequired a researcher's JAR plan runs only once an admin approved its hash
 * @param algorithm the hash that identifies plans
 */
public record PlanPolicy(
    boolean allowDefaultPlans, boolean approvalRequired, HashingAlgorithm algorithm) {
  public PlanPolicy {
    Objects.requireNonNull(algorithm, "algorithm");
  }

  /** The configuration defaults: default plans allowed, approval required, SHA256. */
  public static PlanPolicy defaults() {
    return new PlanPolicy(true, true, HashingAlgorithm.SHA256);
  }

  /**
   * The policy of a node configuration.
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if the hashing algorithm is unknown
   *     (the configuration loader already refuses it; this guards a schema drift)
   */
  public static PlanPolicy of(FedlinkConfig config) {
    String name = config.get(ConfigKeys.HASHING_ALGORITHM);
    try {
      return new PlanPolicy(
          config.get(ConfigKeys.ALLOW_DEFAULT_TRAINING_PLANS),
          config.get(ConfigKeys.TRAINING_PLAN_APPROVAL),
          HashingAlgorithm.parse(name));
    } catch (NoSuchAlgorithmException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          config.file().getFileName() + ": [security] hashing_algorithm: " + e.getMessage(),
          e);
    }
  }
}
