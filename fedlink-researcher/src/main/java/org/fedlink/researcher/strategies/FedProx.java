package org.fedlink.researcher.strategies;

import java.util.Map;
import java.util.Objects;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingArgs;

/**
 * FedProx: FedAvg aggregation, with nodes adding the proximal term {@code mu/2 ||w - w_global||^2}
 * to their local loss, which keeps non-IID nodes from drifting apart.
 */
public final class FedProx extends FedAvg {
  private final double mu;

  /**
   * @param mu proximal weight, positive (0.01 is a common start)
   */
  public FedProx(double mu) {
    if (!(mu > 0) || !Double.isFinite(mu)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "FedProx mu " + mu + " must be a positive number");
    }
    this.mu = mu;
  }

  public double mu() {
    return mu;
  }

  @Override
  public String name() {
    return "fedprox";
  }

  /** The state of FedProx is its {@code mu}. */
  @Override
  public Map<String, String> state() {
    return Map.of("mu", Double.toString(mu));
  }

  @Override
  public FedProx withState(Map<String, String> state) {
    String value = state.get("mu");
    try {
      return new FedProx(Double.parseDouble(Objects.requireNonNull(value, "mu")));
    } catch (NumberFormatException | NullPointerException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "FedProx state " + state + " has no number mu; was it written by FedProx?");
    }
  }

  @Override
  public Map<String, String> trainConfig() {
    return Map.of(TrainingArgs.PROXIMAL_MU, Double.toString(mu));
  }
}
