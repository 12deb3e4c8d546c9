package org.fedlink.researcher.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * The names of the settings a checkpoint records, and the check that a resumed experiment runs with
 * the same ones. Task settings (what every node receives: dataset tags, validation fraction,
 * training arguments with the seed, the strategy's training config) are recorded as {@code
 * task.<key>}. Stateless.
 */
public final class Settings {
  /** The training plan as given ({@code logistic-regression}, {@code mlp}, ...). */
  public static final String PLAN = "plan";

  /** SHA-256 of the training-plan JAR, if the experiment sends one. */
  public static final String PLAN_SHA256 = "plan_sha256";

  /** Where the plan JAR was: a hint to find it again, never compared. */
  public static final String PLAN_JAR = "plan_jar";

  public static final String ROUNDS = "rounds";
  public static final String MIN_NODES = "min_nodes";
  public static final String STRATEGY = "strategy";
  public static final String SECURE_AGGREGATION = "secure_aggregation";
  public static final String FRACTION = "fraction";
  public static final String DP = "dp";
  public static final String DP_NOISE_MULTIPLIER = "dp_noise_multiplier";
  public static final String DP_CLIP_NORM = "dp_clip_norm";
  public static final String DP_ADAPTIVE_CLIP = "dp_adaptive_clip";
  public static final String DP_DELTA = "dp_delta";
  public static final String DP_EPSILON_BUDGET = "dp_epsilon_budget";

  /** Prefix of the task config entries. */
  public static final String TASK = "task.";

  /** Settings recorded for information only. */
  private static final Set<String> NOT_COMPARED = Set.of(PLAN_JAR);

  /** The command-line flag of each setting, for messages. */
  private static final Map<String, String> FLAGS =
      Map.ofEntries(
          Map.entry(PLAN, "--plan"),
          Map.entry(PLAN_SHA256, "--plan-jar"),
          Map.entry(ROUNDS, "--rounds"),
          Map.entry(MIN_NODES, "--min-nodes"),
          Map.entry(STRATEGY, "--strategy"),
          Map.entry(SECURE_AGGREGATION, "--secagg"),
          Map.entry(FRACTION, "--fraction"),
          Map.entry(DP, "--dp"),
          Map.entry(DP_NOISE_MULTIPLIER, "--dp-noise-multiplier"),
          Map.entry(DP_CLIP_NORM, "--dp-clip-norm"),
          Map.entry(DP_ADAPTIVE_CLIP, "--dp-adaptive-clip"),
          Map.entry(DP_DELTA, "--dp-delta"),
          Map.entry(DP_EPSILON_BUDGET, "--dp-epsilon-budget"),
          Map.entry(TASK + "dataset_tags", "--tags"),
          Map.entry(TASK + "validation_fraction", "--validation-fraction"),
          Map.entry(TASK + "epochs", "--epochs"),
          Map.entry(TASK + "batch_size", "--batch-size"),
          Map.entry(TASK + "learning_rate", "--learning-rate"),
          Map.entry(TASK + "optimizer", "--optimizer"),
          Map.entry(TASK + "momentum", "--momentum"),
          Map.entry(TASK + "seed", "--seed"),
          Map.entry(TASK + "hidden", "--hidden"),
          Map.entry(TASK + "proximal_mu", "--proximal-mu"));

  private Settings() {}

  /**
   * Checks that {@code given} (the resumed experiment's settings) equal the checkpoint's.
   *
   * @param file the checkpoint, named in the message
   * @throws FedlinkException INVALID_ARGUMENT naming every setting that differs, with both values
   */
  public static void requireSame(Checkpoint checkpoint, Map<String, String> given, Path file) {
    Set<String> names = new TreeSet<>(checkpoint.settings().keySet());
    names.addAll(given.keySet());
    names.removeAll(NOT_COMPARED);
    List<String> differ = new ArrayList<>();
    for (String name : names) {
      String was = checkpoint.settings().get(name);
      String now = given.get(name);
      if (!Objects.equals(was, now)) {
        differ.add(
            describe(name)
                + " is "
                + shown(now)
                + " here but "
                + shown(was)
                + " in the checkpoint");
      }
    }
    if (!differ.isEmpty()) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "cannot resume run "
              + checkpoint.runId()
              + ": "
              + String.join("; ", differ)
              + " ("
              + file
              + "). Leave such settings out to take the checkpoint's, or start a new run");
    }
  }

  private static String describe(String name) {
    String flag = FLAGS.get(name);
    String shortName = name.startsWith(TASK) ? name.substring(TASK.length()) : name;
    return "setting " + shortName + (flag == null ? "" : " (" + flag + ")");
  }

  private static String shown(String value) {
    return value == null ? "unset" : "'" + value + "'";
  }
}
