package org.fedlink.ml.plan;

import org.fedlink.core.Parameters;
import org.fedlink.ml.DataSummary;
import org.fedlink.ml.Dataset;
import org.fedlink.ml.LocalUpdate;
import org.fedlink.ml.Metrics;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.ml.TrainingPlan;

/** A plan on the application class path, which a plan JAR must not be able to name. */
public class AppClassPathPlan implements TrainingPlan {
  @Override
  public String id() {
    return "app";
  }

  @Override
  public Parameters initialize(DataSummary summary, TrainingArgs args) {
    throw new UnsupportedOperationException();
  }

  @Override
  public LocalUpdate train(Parameters global, Dataset data, TrainingArgs args) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Metrics evaluate(Parameters parameters, Dataset data) {
    throw new UnsupportedOperationException();
  }
}
