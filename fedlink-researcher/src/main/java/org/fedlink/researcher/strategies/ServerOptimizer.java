package org.fedlink.researcher.strategies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * Server optimizers of Reddi et al., "Adaptive Federated Optimization" (ICLR 2021): the round's
 * pseudo-gradient {@code d = average - global} drives a momentum or adaptive step on the server.
 *
 * <ul>
 *   <li>FedAvgM: {@code m = beta1 m + d; x = x + lr m}
 *   <li>FedAdagrad: {@code m = beta1 m + (1-beta1) d; v = v + d^2}
 *   <li>FedAdam: {@code m} as above; {@code v = beta2 v + (1-beta2) d^2}
 *   <li>FedYogi: {@code m} as above; {@code v = v - (1-beta2) d^2 sign(v - d^2)}
 * </ul>
 *
 * and for the adaptive three {@code x = x + lr m / (sqrt(v) + tau)}, with {@code m} starting at 0
 * and {@code v} at {@code tau^2}, without bias correction, as in the paper's Algorithm 2. The
 * moments are the strategy's state (checkpointed). Works from the average only, so it composes with
 * secure aggregation. Stateful: {@link #step} advances the moments, which {@link #state()} exports
 * into each round's checkpoint and {@link #withState} restores into a fresh instance on resume. One
 * instance serves one experiment; calls are synchronized.
 */
public final class ServerOptimizer implements AveragingStrategy {
  /** Which update rule. */
  public enum Kind {
    FEDAVGM("fedavgm"),
    FEDADAGRAD("fedadagrad"),
    FEDADAM("fedadam"),
    FEDYOGI("fedyogi");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  private final Kind kind;
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double tau;
  // Mutable moments, advanced by step(); the experiment drives one instance from one thread.
  private float[] m;
  private float[] v;
  private int steps;

  private ServerOptimizer(Kind kind, double lr, double beta1, double beta2, double tau) {
    require(lr > 0 && Double.isFinite(lr), "server learning rate", lr, "> 0");
    require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "in [0, 1)");
    require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "in [0, 1)");
    require(tau > 0 && Double.isFinite(tau), "tau", tau, "> 0");
    this.kind = kind;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.tau = tau;
  }

  /** FedAvgM: server momentum {@code momentum} in [0, 1). */
  public static ServerOptimizer fedAvgM(double lr, double momentum) {
    return new ServerOptimizer(Kind.FEDAVGM, lr, momentum, 0, 1);
  }

  public static ServerOptimizer fedAdagrad(double lr, double beta1, double tau) {
    return new ServerOptimizer(Kind.FEDADAGRAD, lr, beta1, 0, tau);
  }

  public static ServerOptimizer fedAdam(double lr, double beta1, double beta2, double tau) {
    return new ServerOptimizer(Kind.FEDADAM, lr, beta1, beta2, tau);
  }

  public static ServerOptimizer fedYogi(double lr, double beta1, double beta2, double tau) {
    return new ServerOptimizer(Kind.FEDYOGI, lr, beta1, beta2, tau);
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String name() {
    return kind.id();
  }

  @Override
  public Map<String, String> trainConfig() {
    return Map.of();
  }

  @Override
  public synchronized Parameters step(Parameters global, Parameters average) {
    global.requireSameLayout(average, "average model");
    prepare(global);
    List<Tensor> out = new ArrayList<>();
    int at = 0;
    for (int k = 0; k < global.tensors().size(); k++) {
      Tensor g = global.tensors().get(k);
      float[] x = g.data();
      float[] next = new float[x.length];
      kernel(x, average.tensors().get(k).data(), next, at, 0, x.length);
      at += x.length;
      out.add(new Tensor(g.name(), g.shape().clone(), next));
    }
    steps++;
    return Parameters.of(out);
  }

  /**
   * The weighted mean and the server step in one pass over the updates: block by block (small
   * enough to stay in the first-level cache), the mean of the block is written into the result,
   * then stepped in place. The same floats as {@code step(global, Mean.weighted(global, updates))},
   * without a pass over a separate mean.
   */
  @Override
  public synchronized Parameters aggregate(Parameters global, List<NodeUpdate> updates) {
    double[] weights = Mean.checkedWeights(global, updates);
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    float[] w = new float[weights.length];
    for (int k = 0; k < w.length; k++) {
      w[k] = (float) (weights[k] / total);
    }
    prepare(global);
    List<Tensor> out = new ArrayList<>();
    float[][] columns = new float[updates.size()][];
    int at = 0;
    for (int t = 0; t < global.tensors().size(); t++) {
      Tensor g = global.tensors().get(t);
      float[] x = g.data();
      for (int k = 0; k < columns.length; k++) {
        columns[k] = updates.get(k).parameters().tensors().get(t).data();
      }
      float[] next = new float[x.length];
      for (int from = 0; from < x.length; from += BLOCK) {
        int to = Math.min(x.length, from + BLOCK);
        WeightedAverage.range(next, columns, w, from, to);
        kernel(x, next, next, at, from, to);
      }
      at += x.length;
      out.add(new Tensor(g.name(), g.shape().clone(), next));
    }
    steps++;
    return Parameters.of(out);
  }

  private static final int BLOCK = 2048;

  /** out[i] for i in [from, to) from x[i], the mean a[i] (a may be out) and the moments at at+i. */
  private void kernel(float[] x, float[] a, float[] out, int at, int from, int to) {
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float rate = (float) lr;
    float t = (float) tau;
    // One loop per kind, without a branch inside, so the JIT can vectorize it.
    switch (kind) {
      case FEDAVGM -> momentum(x, a, out, m, at, from, to, b1, rate);
      case FEDADAGRAD -> adagrad(x, a, out, m, v, at, from, to, b1, rate, t);
      case FEDADAM -> adam(x, a, out, m, v, at, from, to, b1, b2, rate, t);
      case FEDYOGI -> yogi(x, a, out, m, v, at, from, to, b1, b2, rate, t);
    }
  }

  /** Creates the moments at the first step; refuses a model of another size than they have. */
  private void prepare(Parameters global) {
    int n = Math.toIntExact(global.size());
    if (m == null) {
      m = new float[n];
      if (kind != Kind.FEDAVGM) {
        v = new float[n];
        java.util.Arrays.fill(v, (float) (tau * tau));
      }
    }
    if (m.length != n) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          name() + " holds moments for " + m.length + " values; the model has " + n);
    }
  }

  @Override
  public Map<String, String> hyperparameters() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("server_lr", Double.toString(lr));
    h.put(kind == Kind.FEDAVGM ? "momentum" : "beta1", Double.toString(beta1));
    if (kind == Kind.FEDADAM || kind == Kind.FEDYOGI) {
      h.put("beta2", Double.toString(beta2));
    }
    if (kind != Kind.FEDAVGM) {
      h.put("tau", Double.toString(tau));
    }
    return h;
  }

  /** Hyperparameters, the number of steps taken and the moments. */
  @Override
  public synchronized Map<String, String> state() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("lr", Double.toString(lr));
    s.put("beta1", Double.toString(beta1));
    s.put("beta2", Double.toString(beta2));
    s.put("tau", Double.toString(tau));
    s.put("steps", Integer.toString(steps));
    if (m != null) {
      StateCodec.putFloats(s, "m", m);
      if (v != null) {
        StateCodec.putFloats(s, "v", v);
      }
    }
    return s;
  }

  /**
   * This optimizer with the moments of {@code state}; its hyperparameters must equal this one's (a
   * resumed run continues with the settings it started with).
   */
  @Override
  public ServerOptimizer withState(Map<String, String> state) {
    ServerOptimizer o = new ServerOptimizer(kind, lr, beta1, beta2, tau);
    for (String key : List.of("lr", "beta1", "beta2", "tau")) {
      double was = StateCodec.getDouble(state, key, Double.NaN);
      double now = Double.parseDouble(state().get(key));
      if (Double.compare(was, now) != 0) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT,
            name()
                + " "
                + key
                + " was "
                + was
                + " in the checkpoint, now "
                + now
                + ": resume with the same server optimizer settings");
      }
    }
    o.steps = (int) StateCodec.getDouble(state, "steps", 0);
    String len = state.get("m.length");
    if (len != null) {
      long n = Long.parseLong(len);
      o.m = StateCodec.getFloats(state, "m", n);
      o.v = kind == Kind.FEDAVGM ? null : StateCodec.getFloats(state, "v", n);
      if (kind != Kind.FEDAVGM && o.v == null) {
        throw new FedlinkException(
            ErrorCode.INVALID_ARGUMENT, name() + " state has m but no v: a damaged checkpoint");
      }
    }
    return o;
  }

  /** How many server steps were taken. */
  public synchronized int steps() {
    return steps;
  }

  private static void momentum(
      float[] x,
      float[] a,
      float[] next,
      float[] m,
      int at,
      int from,
      int to,
      float b1,
      float rate) {
    for (int i = from; i < to; i++) {
      float mi = b1 * m[at + i] + (a[i] - x[i]);
      m[at + i] = mi;
      next[i] = x[i] + rate * mi;
    }
  }

  private static void adagrad(
      float[] x,
      float[] a,
      float[] next,
      float[] m,
      float[] v,
      int at,
      int from,
      int to,
      float b1,
      float rate,
      float t) {
    for (int i = from; i < to; i++) {
      float d = a[i] - x[i];
      float mi = b1 * m[at + i] + (1 - b1) * d;
      float vi = v[at + i] + d * d;
      m[at + i] = mi;
      v[at + i] = vi;
      next[i] = x[i] + rate * mi / ((float) Math.sqrt(vi) + t);
    }
  }

  private static void adam(
      float[] x,
      float[] a,
      float[] next,
      float[] m,
      float[] v,
      int at,
      int from,
      int to,
      float b1,
      float b2,
      float rate,
      float t) {
    for (int i = from; i < to; i++) {
      float d = a[i] - x[i];
      float mi = b1 * m[at + i] + (1 - b1) * d;
      float vi = b2 * v[at + i] + (1 - b2) * d * d;
      m[at + i] = mi;
      v[at + i] = vi;
      next[i] = x[i] + rate * mi / ((float) Math.sqrt(vi) + t);
    }
  }

  private static void yogi(
      float[] x,
      float[] a,
      float[] next,
      float[] m,
      float[] v,
      int at,
      int from,
      int to,
      float b1,
      float b2,
      float rate,
      float t) {
    for (int i = from; i < to; i++) {
      float d = a[i] - x[i];
      float d2 = d * d;
      float mi = b1 * m[at + i] + (1 - b1) * d;
      m[at + i] = mi;
      float vi = v[at + i];
      // sign(v - d^2) as in the paper, 0 when equal; comparisons rather than Math.signum.
      float c = (1 - b2) * d2;
      v[at + i] = vi > d2 ? vi - c : vi < d2 ? vi + c : vi;
    }
    // The step in a loop of its own: the sign above is not vectorized, the root and division are.
    for (int i = from; i < to; i++) {
      next[i] = x[i] + rate * m[at + i] / ((float) Math.sqrt(v[at + i]) + t);
    }
  }

  private static void require(boolean ok, String what, double value, String allowed) {
    if (!ok) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, what + " " + value + " must be " + allowed);
    }
  }
}
