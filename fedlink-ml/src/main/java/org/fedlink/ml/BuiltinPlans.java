package org.fedlink.ml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.internal.FeedForward;

/**
 * The training plans that ship with Fedlink ("default" plans), by id: those of this module and
 * those that modules on the class path declare as {@code TrainingPlan} services (fedlink-djl's
 * {@code cnn}). Thread-safe: the registry is immutable and the plans are stateless.
 */
public final class BuiltinPlans {
  /** Name of the fixed per-feature mean tensor every built-in model carries. */
  public static final String NORM_MEAN = FeedForward.NORM_MEAN;

  /** Name of the fixed per-feature 1/std tensor every built-in model carries. */
  public static final String NORM_SCALE = FeedForward.NORM_SCALE;

  private static final Map<String, TrainingPlan> PLANS = registry();

  private BuiltinPlans() {}

  /**
   * The built-in plan with this id.
   *
   * @throws FedlinkException INVALID_ARGUMENT naming the id and the known ids
   */
  public static TrainingPlan get(String id) {
    TrainingPlan plan = id == null ? null : PLANS.get(id);
    if (plan == null) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "unknown built-in training plan '" + id + "'; known plans: " + String.join(", ", ids()));
    }
    return plan;
  }

  /** Ids of the built-in plans, in a stable order. */
  public static List<String> ids() {
    return List.copyOf(PLANS.keySet());
  }

  /** True if a tensor of a built-in model is changed by training (false for the norm tensors). */
  public static boolean isTrainable(String tensorName) {
    return !NORM_MEAN.equals(tensorName) && !NORM_SCALE.equals(tensorName);
  }

  private static Map<String, TrainingPlan> registry() {
    Map<String, TrainingPlan> m = new LinkedHashMap<>();
    for (TrainingPlan p : List.of(new LogisticRegressionPlan(), new MlpPlan())) {
      m.put(p.id(), p);
    }
    // Plans of optional modules on the class path (fedlink-djl's cnn), declared in
    // META-INF/services/org.fedlink.ml.TrainingPlan of their jar.
    for (TrainingPlan p :
        ServiceLoader.load(TrainingPlan.class, BuiltinPlans.class.getClassLoader())) {
      m.putIfAbsent(p.id(), p);
    }
    return m;
  }
}
