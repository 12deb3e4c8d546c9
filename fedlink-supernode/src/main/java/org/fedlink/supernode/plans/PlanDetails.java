package org.fedlink.supernode.plans;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.plan.PlanJarContents;
import org.fedlink.ml.plan.SourceFile;

/**
 * Everything a node's admin reviews before deciding on a plan: its record, what its JAR (the node's
 * own copy) holds, and the source files sent with the request. Shown by {@code training-plan view}
 * and by the console's plan page. Everything in it that a researcher chose is untrusted text: each
 * surface escapes it for its medium.
 *
 * @param plan the plan's record
 * @param sent source files stored with the request
 * @param jar what the JAR holds, or null if it cannot be read
 * @param jarProblem why the JAR cannot be read, or null
 */
public record PlanDetails(
    TrainingPlanRecord plan, List<SourceFile> sent, PlanJarContents jar, String jarProblem) {
  /** Informational only; said beside every display of sources. */
  public static final List<String> SOURCES_CAVEAT =
      List.of(
          "informational only: what runs is the JAR's class files, identified by the hash above,",
          "never these sources; nothing checks that the sources match the class files");

  public PlanDetails {
    Objects.requireNonNull(plan, "plan");
    sent = List.copyOf(sent);
  }

  /**
   * The plan named by {@code ref} (hash or unique prefix) with its sources and JAR contents.
   *
   * @throws FedlinkException NOT_FOUND or INVALID_ARGUMENT as {@link PlanStore#get} does
   */
  public static PlanDetails load(PlanStore store, String ref) {
    TrainingPlanRecord p = store.get(ref);
    return of(p, store.sources(p));
  }

  /** Reads the plan's JAR. */
  public static PlanDetails of(TrainingPlanRecord plan, List<SourceFile> sent) {
    try {
      return new PlanDetails(plan, sent, PlanJarContents.read(plan.jar()), null);
    } catch (FedlinkException e) {
      return new PlanDetails(plan, sent, null, e.getMessage());
    }
  }

  /** The plan class the JAR names now, if it differs from the recorded one. */
  public Optional<String> classInJarIfDifferent() {
    if (jar == null || jar.planClass().isEmpty()) {
      return Optional.empty();
    }
    String now = jar.planClass().get();
    return now.equals(plan.className()) ? Optional.empty() : Optional.of(now);
  }

  /** Uncompressed bytes of the listed entries. */
  public long entryBytes() {
    long total = 0;
    if (jar != null) {
      for (PlanJarContents.Entry e : jar.entries()) {
        total += Math.max(0, e.size());
      }
    }
    return total;
  }

  /** Sources found in the JAR (empty if it cannot be read). */
  public List<SourceFile> sourcesInJar() {
    return jar == null ? List.of() : jar.sources();
  }

  /** Sources of the JAR not shown, with why. */
  public List<PlanJarContents.Withheld> withheld() {
    return jar == null ? List.of() : jar.withheldSources();
  }
}
