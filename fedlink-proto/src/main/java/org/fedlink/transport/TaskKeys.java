package org.fedlink.transport;

/** Names shared by researcher and nodes: task kinds and the task config keys they read. */
public final class TaskKeys {
  /** Report per-feature statistics of the local training split (no model needed). */
  public static final String KIND_DESCRIBE = "describe";

  /** Train from the given model and return the update. */
  public static final String KIND_TRAIN = "train";

  /** Evaluate the given model on the local validation split. */
  public static final String KIND_EVALUATE = "evaluate";

  /** Comma-separated tags that select the node's dataset. */
  public static final String DATASET_TAGS = "dataset_tags";

  /** Fraction of the local data held out for validation, default 0.2. */
  public static final String VALIDATION_FRACTION = "validation_fraction";

  /** Seed of the local train/validation split, default 42; fixed for a run. */
  public static final String SPLIT_SEED = "split_seed";

  /**
   * Receive the researcher's training-plan JAR (the task's model blob), check that this node may
   * run it, and keep it for the run's later tasks; sent once at the start of an experiment.
   */
  public static final String KIND_PREPARE_PLAN = "prepare_plan";

  /**
   * Receive a training-plan JAR (the task's model blob) and record it as Pending approval; the
   * result's status message reports the plan's approval status on the node.
   */
  public static final String KIND_APPROVAL_REQUEST = "approval_request";

  /** Prefix of {@code Task.plan} for a researcher's JAR plan: {@code jar:<sha256 of the file>}. */
  public static final String JAR_PLAN_PREFIX = "jar:";

  /** Lower-case hex SHA-256 of the plan JAR file: how both sides name the file in transit. */
  public static final String PLAN_SHA256 = "plan_sha256";

  /** Human-readable name of the plan JAR (its file name). */
  public static final String PLAN_NAME = "plan_name";

  /** Component id of the researcher sending an approval request. */
  public static final String RESEARCHER_ID = "researcher_id";

  /**
   * Fingerprint ({@code SHA256:...}) of the key the SuperLink authenticated the researcher with who
   * pushed the task. Set by the SuperLink only: it replaces or removes any value a researcher
   * sends.
   */
  public static final String RESEARCHER_KEY = "researcher_key_fingerprint";

  /**
   * Prefix of the config keys of an approval request that carry the plan's source files: key {@code
   * plan_source:<path>}, value the file's text (see {@code org.fedlink.ml.plan.PlanSources}).
   */
  public static final String PLAN_SOURCE_PREFIX = "plan_source:";

  private TaskKeys() {}
}
