package org.fedlink.cli;

import java.util.Locale;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.researcher.strategies.CoordinateMedian;
import org.fedlink.researcher.strategies.FedAvg;
import org.fedlink.researcher.strategies.FedProx;
import org.fedlink.researcher.strategies.Krum;
import org.fedlink.researcher.strategies.Scaffold;
import org.fedlink.researcher.strategies.ServerOptimizer;
import org.fedlink.researcher.strategies.Strategy;
import org.fedlink.researcher.strategies.TrimmedMean;

/** The strategies the command line names, with their flags. Stateless. */
final class Strategies {
  /** Every name {@code --strategy} takes. */
  static final String NAMES =
      "fedavg, fedprox, fedavgm, fedadagrad, fedadam, fedyogi, scaffold, median, trimmed-mean,"
          + " krum, multi-krum";

  private Strategies() {}

  /** The flags that shape a strategy; a null server learning rate takes the strategy's default. */
  record Options(
      double mu,
      Double serverLr,
      double serverMomentum,
      double beta1,
      double beta2,
      double tau,
      double trimBeta,
      int byzantine,
      Integer krumKeep,
      double fraction,
      int minNodes) {}

  /**
   * @throws FedlinkException INVALID_ARGUMENT for an unknown name or a bad hyperparameter
   */
  static Strategy of(String name, Options o) {
    double adaptiveLr = o.serverLr() == null ? 0.01 : o.serverLr();
    double unitLr = o.serverLr() == null ? 1.0 : o.serverLr();
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "fedavg" -> new FedAvg();
      case "fedprox" -> new FedProx(o.mu());
      case "fedavgm" -> ServerOptimizer.fedAvgM(unitLr, o.serverMomentum());
      case "fedadagrad" -> ServerOptimizer.fedAdagrad(adaptiveLr, o.beta1(), o.tau());
      case "fedadam" -> ServerOptimizer.fedAdam(adaptiveLr, o.beta1(), o.beta2(), o.tau());
      case "fedyogi" -> ServerOptimizer.fedYogi(adaptiveLr, o.beta1(), o.beta2(), o.tau());
      case "scaffold" -> new Scaffold(unitLr, o.fraction());
      case "median" -> new CoordinateMedian();
      case "trimmed-mean" -> new TrimmedMean(o.trimBeta());
      case "krum" -> new Krum(o.byzantine(), 1);
      case "multi-krum" ->
          new Krum(
              o.byzantine(),
              o.krumKeep() != null ? o.krumKeep() : Math.max(1, o.minNodes() - o.byzantine()));
      default ->
          throw new FedlinkException(
              ErrorCode.INVALID_ARGUMENT, "--strategy " + name + " is unknown: use " + NAMES);
    };
  }
}
