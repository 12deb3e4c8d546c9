package org.fedlink.researcher.strategies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.ml.ControlVariates;

/**
 * SCAFFOLD (Karimireddy et al., ICML 2020): nodes correct their local gradients by {@code c - c_i}
 * (server minus node control variate), which removes the client drift of non-IID data. The server
 * variate {@code c} travels inside the global model as extra tensors ({@link ControlVariates});
 * each node keeps its own {@code c_i} in its database between rounds and sends back {@code c +
 * (c_i+ - c_i)}, so the round's average carries {@code c + mean(delta c_i)}, in plain and under
 * secure aggregation alike. The server step is then
 *
 * <pre>
 *   x = x + lrGlobal * (avg_x - x)
 *   c = c + fraction * (avg_c - c)      (fraction = |S| / N, the share of nodes sampled)
 * </pre>
 *
 * As the rest of Fedlink, the average is weighted by examples (the paper's is uniform); under
 * differential privacy every node weighs the same. Stateless apart from what the model carries.
 */
public final class Scaffold implements AveragingStrategy {
  private final double serverLr;
  private final double fraction;

  /**
   * @param serverLr the global step size {@code eta_g} (1 in the paper's experiments)
   * @param fraction the share of nodes sampled per round, in (0, 1]
   */
  public Scaffold(double serverLr, double fraction) {
    if (!(serverLr > 0) || Double.isInfinite(serverLr)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "SCAFFOLD server learning rate " + serverLr + " must be > 0");
    }
    if (!(fraction > 0 && fraction <= 1)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "SCAFFOLD node fraction " + fraction + " must be in (0, 1]");
    }
    this.serverLr = serverLr;
    this.fraction = fraction;
  }

  @Override
  public String name() {
    return "scaffold";
  }

  @Override
  public Map<String, String> trainConfig() {
    return Map.of(ControlVariates.CONFIG_KEY, "true");
  }

  /** The model with zero server variates appended, unless it carries them already. */
  @Override
  public Parameters initialize(Parameters model) {
    if (ControlVariates.present(model)) {
      ControlVariates.variates(model); // checks they match
      return model;
    }
    return ControlVariates.join(model, model.zerosLike());
  }

  @Override
  public Parameters step(Parameters global, Parameters average) {
    global.requireSameLayout(average, "average model");
    if (!ControlVariates.present(global)) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "the global model carries no SCAFFOLD control variates; was it initialized by SCAFFOLD?");
    }
    List<Tensor> out = new ArrayList<>();
    for (int k = 0; k < global.tensors().size(); k++) {
      Tensor g = global.tensors().get(k);
      float[] x = g.data();
      float[] a = average.tensors().get(k).data();
      float rate = (float) (g.name().startsWith(ControlVariates.PREFIX) ? fraction : serverLr);
      float[] next = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        next[i] = x[i] + rate * (a[i] - x[i]);
      }
      out.add(new Tensor(g.name(), g.shape().clone(), next));
    }
    return Parameters.of(out);
  }

  @Override
  public Map<String, String> hyperparameters() {
    return state();
  }

  /** The hyperparameters, checked on resume. */
  @Override
  public Map<String, String> state() {
    return Map.of("server_lr", Double.toString(serverLr), "fraction", Double.toString(fraction));
  }

  @Override
  public Scaffold withState(Map<String, String> state) {
    double lr = StateCodec.getDouble(state, "server_lr", serverLr);
    double f = StateCodec.getDouble(state, "fraction", fraction);
    if (lr != serverLr || f != fraction) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "SCAFFOLD ran with server learning rate "
              + lr
              + " and fraction "
              + f
              + "; resume with the same settings");
    }
    return this;
  }
}
