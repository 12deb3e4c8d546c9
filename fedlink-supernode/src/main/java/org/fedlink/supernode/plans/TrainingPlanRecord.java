package org.fedlink.supernode.plans;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A researcher's training plan as a node knows it: its identity (hash and algorithm), its approval
 * status and where its JAR is kept. Users name a plan by its hash (or a prefix of it). Immutable.
 *
 * @param id the node-local row number (internal; never shown to users)
 * @param hash lower-case hex {@link org.fedlink.ml.plan.PlanHash} of the JAR
 * @param algorithm the hashing algorithm of {@code hash}, e.g. SHA256
 * @param name the JAR's file name as the researcher sent it
 * @param className the plan class named by the JAR's manifest, or "unknown"
 * @param status Pending, Approved or Rejected
 * @param researcherId who asked for approval (the id the request carries), or null if unknown
 * @param researcherKey fingerprint of the key the SuperLink authenticated the requesting researcher
 *     with, e.g. {@code SHA256:...}, or null if the SuperLink does not authenticate researchers
 * @param notes the admin's notes, or null
 * @param jar the JAR kept by the node
 * @param jarSha256 hex SHA-256 of the JAR file bytes (its name in transit)
 * @param createdMs when the node first received it, epoch milliseconds
 * @param updatedMs when its status last changed, epoch milliseconds
 */
public record TrainingPlanRecord(
    long id,
    String hash,
    String algorithm,
    String name,
    String className,
    PlanStatus status,
    String researcherId,
    String researcherKey,
    String notes,
    Path jar,
    String jarSha256,
    long createdMs,
    long updatedMs) {
  public TrainingPlanRecord {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(status, "status");
  }

  /** The first 12 hex digits of the hash, as messages show it. */
  public String shortHash() {
    return PlanStore.shortHash(hash);
  }
}
