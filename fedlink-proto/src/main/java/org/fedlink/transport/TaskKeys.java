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

  private TaskKeys() {}
}
