package org.fedlink.cli.demo;

import org.fedlink.ml.DemoDefaults;
import org.fedlink.ml.TrainingArgs;

/**
 * The demo's settings for a bundled data set, taken from {@link DemoDefaults} (where the choice of
 * hyper-parameters is tested against the accuracy targets).
 *
 * @param dataset bundled data set name
 * @param plan built-in training plan
 * @param args local training arguments
 * @param rounds default number of rounds
 * @param alpha Dirichlet concentration of the non-IID split (smaller: more skewed)
 */
public record DemoProfile(
    String dataset, String plan, TrainingArgs args, int rounds, double alpha) {

  /**
   * The profile of a bundled data set with a chosen plan (null: the data set's default plan).
   *
   * @throws org.fedlink.core.FedlinkException if the data set is not bundled
   */
  public static DemoProfile of(String dataset, String plan) {
    if (plan == null) {
      return of(dataset);
    }
    DemoDefaults d;
    if (DemoDefaults.CNN_PLAN.equals(plan)
        && org.fedlink.ml.BundledDatasets.DIGITS.equals(dataset)) {
      d = DemoDefaults.digitsCnn();
    } else if (DemoDefaults.of(dataset).planId().equals(plan)) {
      d = DemoDefaults.of(dataset);
    } else {
      throw new org.fedlink.core.FedlinkException(
          org.fedlink.core.ErrorCode.INVALID_ARGUMENT,
          "--plan "
              + plan
              + " has no demo settings for --dataset "
              + dataset
              + "; use --dataset breast-cancer --plan logistic-regression, --dataset digits --plan"
              + " mlp or --dataset digits --plan cnn");
    }
    return new DemoProfile(
        d.dataset(), d.planId(), d.args(), d.rounds(), DemoDefaults.DIRICHLET_ALPHA);
  }

  /**
   * The default profile of a bundled data set.
   *
   * @throws org.fedlink.core.FedlinkException if the data set is not bundled
   */
  public static DemoProfile of(String dataset) {
    DemoDefaults d = DemoDefaults.of(dataset);
    return new DemoProfile(
        d.dataset(), d.planId(), d.args(), d.rounds(), DemoDefaults.DIRICHLET_ALPHA);
  }
}
