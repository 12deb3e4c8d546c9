package org.fedlink.ml.internal;

import org.fedlink.ml.TrainingArgs;

/**
 * A first-order update rule on a flat parameter array. Holds per-parameter state (velocity or
 * moments), so one instance serves one local training run; not thread-safe.
 */
public interface Optimizer {

  /** Moves {@code theta} against {@code grad} in place; both have the same length. */
  void step(double[] theta, double[] grad);

  /** The optimizer {@code args.optimizer()} names, sized for {@code size} parameters. */
  static Optimizer of(TrainingArgs args, int size) {
    return switch (args.optimizer()) {
      case "adam" -> new Adam(args.learningRate(), size);
      case "sgd" -> new MomentumSgd(args.learningRate(), args.momentum(), size);
      default ->
          throw new IllegalArgumentException("unknown optimizer " + args.optimizer()); // validated
    };
  }

  /** SGD with heavy-ball momentum: {@code v = m v + g; theta -= lr v}. */
  final class MomentumSgd implements Optimizer {
    private final double lr;
    private final double momentum;
    private final double[] velocity;

    MomentumSgd(double lr, double momentum, int size) {
      this.lr = lr;
      this.momentum = momentum;
      this.velocity = new double[size];
    }

    @Override
    public void step(double[] theta, double[] grad) {
      for (int i = 0; i < theta.length; i++) {
        double v = momentum * velocity[i] + grad[i];
        velocity[i] = v;
        theta[i] -= lr * v;
      }
    }
  }

  /** Adam (Kingma and Ba) with beta1 0.9, beta2 0.999, epsilon 1e-8 and bias correction. */
  final class Adam implements Optimizer {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private final double lr;
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(double lr, int size) {
      this.lr = lr;
      this.m = new double[size];
      this.v = new double[size];
    }

    @Override
    public void step(double[] theta, double[] grad) {
      t++;
      double c1 = 1 - Math.pow(BETA1, t);
      double c2 = 1 - Math.pow(BETA2, t);
      for (int i = 0; i < theta.length; i++) {
        double g = grad[i];
        m[i] = BETA1 * m[i] + (1 - BETA1) * g;
        v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
        theta[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPSILON);
      }
    }
  }
}
