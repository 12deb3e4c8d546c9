package org.fedlink.simulation;

import java.util.Locale;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.ColumnPartitioner;
import org.fedlink.ml.DirichletPartitioner;
import org.fedlink.ml.IidPartitioner;
import org.fedlink.ml.Partitioner;
import org.fedlink.ml.ShardPartitioner;

/**
 * Parses how a simulation cuts its data set among the virtual nodes: {@code iid}, {@code
 * dirichlet:ALPHA} (label skew, 0.1 strong, 100 nearly IID), {@code shards:K} (K label shards per
 * node) or {@code column:INDEX} (rows grouped by a feature column's value). Stateless.
 */
public final class Partitions {
  /** The forms accepted, for messages and help. */
  public static final String FORMS = "iid, dirichlet:ALPHA, shards:K or column:INDEX";

  private Partitions() {}

  /**
   * The partitioner named by {@code spec}, seeded with {@code seed}.
   *
   * @throws FedlinkException INVALID_ARGUMENT naming the value and the accepted forms
   */
  public static Partitioner parse(String spec, long seed) {
    if (spec == null || spec.isBlank()) {
      throw bad(spec, "it is empty");
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String arg = colon < 0 ? null : s.substring(colon + 1);
    switch (kind) {
      case "iid" -> {
        if (arg != null) {
          throw bad(spec, "iid takes no value");
        }
        return new IidPartitioner(seed);
      }
      case "dirichlet" -> {
        return new DirichletPartitioner(number(spec, arg), seed, Simulation.MIN_ROWS_PER_NODE);
      }
      case "shards" -> {
        return new ShardPartitioner(integer(spec, arg), seed);
      }
      case "column" -> {
        return new ColumnPartitioner(integer(spec, arg));
      }
      default -> throw bad(spec, "'" + kind + "' is not a partitioning");
    }
  }

  private static double number(String spec, String arg) {
    if (arg == null || arg.isEmpty()) {
      throw bad(spec, "a value is missing after ':'");
    }
    try {
      return Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      throw bad(spec, "'" + arg + "' is not a number");
    }
  }

  private static int integer(String spec, String arg) {
    if (arg == null || arg.isEmpty()) {
      throw bad(spec, "a value is missing after ':'");
    }
    try {
      return Integer.parseInt(arg);
    } catch (NumberFormatException e) {
      throw bad(spec, "'" + arg + "' is not a whole number");
    }
  }

  private static FedlinkException bad(String spec, String why) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "--partition '" + spec + "' is invalid (" + why + "): use " + FORMS);
  }
}
