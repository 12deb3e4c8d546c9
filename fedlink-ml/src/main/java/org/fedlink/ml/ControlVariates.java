package org.fedlink.ml;

import java.util.ArrayList;
import java.util.List;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * SCAFFOLD's control variates inside a model (Karimireddy et al., "SCAFFOLD: Stochastic Controlled
 * Averaging for Federated Learning", ICML 2020). Under SCAFFOLD the global model a node receives
 * carries, after the model's own tensors, one tensor {@value #PREFIX}{@code <name>} per model
 * tensor: the server variate {@code c}. A node's update carries {@code c + (c_i+ - c_i)} there, so
 * that the update minus the global is the change of its own variate: averaging updates (in plain or
 * under secure aggregation) averages the variate changes too. Stateless.
 */
public final class ControlVariates {
  /** Name prefix of the variate tensors. */
  public static final String PREFIX = "scaffold.c/";

  /** Task config key: {@code true} when the node must train with SCAFFOLD. */
  public static final String CONFIG_KEY = "scaffold";

  private ControlVariates() {}

  /** Whether {@code p} carries control variates. */
  public static boolean present(Parameters p) {
    for (Tensor t : p.tensors()) {
      if (t.name().startsWith(PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** The model's own tensors (everything but the variates). */
  public static Parameters model(Parameters p) {
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : p.tensors()) {
      if (!t.name().startsWith(PREFIX)) {
        out.add(t);
      }
    }
    return out.size() == p.tensors().size() ? p : Parameters.of(out);
  }

  /**
   * The variates, named like the model tensors they belong to.
   *
   * @throws FedlinkException INVALID_ARGUMENT if they are missing or do not match the model
   */
  public static Parameters variates(Parameters p) {
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : p.tensors()) {
      if (t.name().startsWith(PREFIX)) {
        out.add(new Tensor(t.name().substring(PREFIX.length()), t.shape(), t.data()));
      }
    }
    Parameters v = Parameters.of(out);
    model(p).requireSameLayout(v, "SCAFFOLD control variates");
    return v;
  }

  /** {@code model} followed by {@code variates} (layout of {@code model}) as variate tensors. */
  public static Parameters join(Parameters model, Parameters variates) {
    model.requireSameLayout(variates, "SCAFFOLD control variates");
    List<Tensor> out = new ArrayList<>(model.tensors());
    for (Tensor t : variates.tensors()) {
      out.add(new Tensor(PREFIX + t.name(), t.shape().clone(), t.data()));
    }
    return Parameters.of(out);
  }

  /**
   * The new variate of a node (option II of the paper): {@code c_i+ = c_i - c + (x - y) / (K lr)},
   * where {@code x} is the global model, {@code y} the trained one, {@code K} the number of local
   * steps and {@code lr} the local learning rate.
   */
  public static Parameters next(
      Parameters ci, Parameters c, Parameters x, Parameters y, long steps, double lr) {
    if (steps < 1 || !(lr > 0)) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "SCAFFOLD needs at least one local step and a positive learning rate; got "
              + steps
              + " steps, learning rate "
              + lr);
    }
    Parameters out = ci.zerosLike();
    double inv = 1.0 / (steps * lr);
    for (int t = 0; t < out.tensors().size(); t++) {
      float[] o = out.tensors().get(t).data();
      float[] a = ci.tensors().get(t).data();
      float[] b = c.tensors().get(t).data();
      float[] xs = x.tensors().get(t).data();
      float[] ys = y.tensors().get(t).data();
      for (int i = 0; i < o.length; i++) {
        o[i] = (float) (a[i] - b[i] + (xs[i] - ys[i]) * inv);
      }
    }
    return out;
  }

  /** {@code a - b}, tensor by tensor (same layout). */
  public static Parameters minus(Parameters a, Parameters b) {
    a.requireSameLayout(b, "SCAFFOLD control variates");
    Parameters out = a.zerosLike();
    for (int t = 0; t < out.tensors().size(); t++) {
      float[] o = out.tensors().get(t).data();
      float[] x = a.tensors().get(t).data();
      float[] y = b.tensors().get(t).data();
      for (int i = 0; i < o.length; i++) {
        o[i] = x[i] - y[i];
      }
    }
    return out;
  }

  /** {@code a + b}, tensor by tensor (same layout). */
  public static Parameters plus(Parameters a, Parameters b) {
    a.requireSameLayout(b, "SCAFFOLD control variates");
    Parameters out = a.zerosLike();
    for (int t = 0; t < out.tensors().size(); t++) {
      float[] o = out.tensors().get(t).data();
      float[] x = a.tensors().get(t).data();
      float[] y = b.tensors().get(t).data();
      for (int i = 0; i < o.length; i++) {
        o[i] = x[i] + y[i];
      }
    }
    return out;
  }
}
