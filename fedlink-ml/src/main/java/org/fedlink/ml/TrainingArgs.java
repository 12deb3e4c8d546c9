package org.fedlink.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Hyper-parameters of local training, as the researcher chose them. Travels in a task's config as
 * string keys and values ({@link #toMap()}, {@link #fromMap(Map)}).
 *
 * @param epochs local epochs per round, at least 1
 * @param batchSize mini-batch size, at least 1
 * @param learningRate step size, positive
 * @param optimizer {@code sgd} (with {@link #momentum()}) or {@code adam}
 * @param momentum SGD momentum in [0, 1)
 * @param proximalMu FedProx proximal term weight; 0 for plain FedAvg
 * @param seed seed of initialization and shuffling
 * @param hidden hidden layer sizes of an MLP
 */
public record TrainingArgs(
    int epochs,
    int batchSize,
    double learningRate,
    String optimizer,
    double momentum,
    double proximalMu,
    long seed,
    int[] hidden) {

  public static final String EPOCHS = "epochs";
  public static final String BATCH_SIZE = "batch_size";
  public static final String LEARNING_RATE = "learning_rate";
  public static final String OPTIMIZER = "optimizer";
  public static final String MOMENTUM = "momentum";
  public static final String PROXIMAL_MU = "proximal_mu";
  public static final String SEED = "seed";
  public static final String HIDDEN = "hidden";

  /** Validates every field; messages name the key, the value and what is allowed. */
  public TrainingArgs {
    require(epochs >= 1, EPOCHS, epochs, "at least 1");
    require(batchSize >= 1, BATCH_SIZE, batchSize, "at least 1");
    require(
        learningRate > 0 && Double.isFinite(learningRate),
        LEARNING_RATE,
        learningRate,
        "a positive number");
    require(
        "sgd".equals(optimizer) || "adam".equals(optimizer), OPTIMIZER, optimizer, "sgd or adam");
    require(momentum >= 0 && momentum < 1, MOMENTUM, momentum, "in [0, 1)");
    require(proximalMu >= 0 && Double.isFinite(proximalMu), PROXIMAL_MU, proximalMu, ">= 0");
    hidden = hidden == null ? new int[0] : hidden.clone();
    for (int h : hidden) {
      require(h >= 1, HIDDEN, Arrays.toString(hidden), "layer sizes of at least 1");
    }
  }

  /** Defaults: 1 epoch, batch 32, learning rate 0.05, SGD with momentum 0.9, seed 42. */
  public static TrainingArgs defaults() {
    return new TrainingArgs(1, 32, 0.05, "sgd", 0.9, 0.0, 42L, new int[] {64});
  }

  public TrainingArgs withProximalMu(double mu) {
    return new TrainingArgs(epochs, batchSize, learningRate, optimizer, momentum, mu, seed, hidden);
  }

  public TrainingArgs withSeed(long s) {
    return new TrainingArgs(
        epochs, batchSize, learningRate, optimizer, momentum, proximalMu, s, hidden);
  }

  /** String form for a task's config. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(EPOCHS, Integer.toString(epochs));
    m.put(BATCH_SIZE, Integer.toString(batchSize));
    m.put(LEARNING_RATE, Double.toString(learningRate));
    m.put(OPTIMIZER, optimizer);
    m.put(MOMENTUM, Double.toString(momentum));
    m.put(PROXIMAL_MU, Double.toString(proximalMu));
    m.put(SEED, Long.toString(seed));
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < hidden.length; i++) {
      h.append(i == 0 ? "" : ",").append(hidden[i]);
    }
    m.put(HIDDEN, h.toString());
    return m;
  }

  /** Parses {@link #toMap()}; missing keys take the defaults. */
  public static TrainingArgs fromMap(Map<String, String> m) {
    TrainingArgs d = defaults();
    return new TrainingArgs(
        (int) parseLong(m, EPOCHS, d.epochs),
        (int) parseLong(m, BATCH_SIZE, d.batchSize),
        parseDouble(m, LEARNING_RATE, d.learningRate),
        m.getOrDefault(OPTIMIZER, d.optimizer),
        parseDouble(m, MOMENTUM, d.momentum),
        parseDouble(m, PROXIMAL_MU, d.proximalMu),
        parseLong(m, SEED, d.seed),
        parseHidden(m.getOrDefault(HIDDEN, "64")));
  }

  private static int[] parseHidden(String s) {
    if (s.isBlank()) {
      return new int[0];
    }
    String[] parts = s.split(",");
    int[] h = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        h[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw bad(HIDDEN, s, "comma-separated layer sizes such as 64,32");
      }
    }
    return h;
  }

  private static long parseLong(Map<String, String> m, String key, long dflt) {
    String v = m.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw bad(key, v, "a whole number");
    }
  }

  private static double parseDouble(Map<String, String> m, String key, double dflt) {
    String v = m.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw bad(key, v, "a number");
    }
  }

  private static void require(boolean ok, String key, Object value, String allowed) {
    if (!ok) {
      throw bad(key, String.valueOf(value), allowed);
    }
  }

  private static FedlinkException bad(String key, String value, String allowed) {
    return new FedlinkException(
        ErrorCode.INVALID_ARGUMENT,
        "training argument " + key + " = " + value + " is invalid: must be " + allowed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingArgs t && toMap().equals(t.toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "TrainingArgs" + toMap();
  }
}
