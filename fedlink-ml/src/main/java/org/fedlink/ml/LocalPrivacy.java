package org.fedlink.ml;

import java.util.Map;
import java.util.Random;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;

/**
 * A node's part of distributed differential privacy: it clips its update (trained minus global
 * weights) to L2 norm {@code clip} and adds Gaussian noise of standard deviation {@code stddev} to
 * every value, before the update leaves the node (before encryption under secure aggregation). The
 * researcher sets {@code stddev = sigma * clip / sqrt(m)} with {@code m} the fewest nodes a round
 * may complete with, so the noise of any completed round's sum is at least {@code sigma * clip}.
 *
 * <p>The task config keys are {@value #MODE} ({@code local}), {@value #CLIP} and {@value #STDDEV}.
 * Noise comes from {@link SecureNoise}, a new generator per task. Thread-confined.
 */
public final class LocalPrivacy {
  public static final String MODE = "dp_mode";
  public static final String CLIP = "dp_clip_norm";
  public static final String STDDEV = "dp_noise_stddev";

  private final double clip;
  private final double stddev;
  private final Random random;

  LocalPrivacy(double clip, double stddev, Random random) {
    this.clip = clip;
    this.stddev = stddev;
    this.random = random;
  }

  /**
   * The local DP a task asks for, or null if it asks for none.
   *
   * @throws FedlinkException INVALID_ARGUMENT if the keys are malformed
   */
  public static LocalPrivacy fromConfig(Map<String, String> config) {
    String mode = config.get(MODE);
    if (mode == null || mode.equals("central")) {
      return null;
    }
    if (!mode.equals("local")) {
      throw bad(MODE + " '" + mode + "' is unknown; expected local or central");
    }
    double clip = number(config, CLIP);
    double stddev = number(config, STDDEV);
    if (!(clip > 0) || Double.isInfinite(clip)) {
      throw bad(CLIP + " " + clip + " must be a positive number");
    }
    if (!(stddev >= 0) || Double.isInfinite(stddev)) {
      throw bad(STDDEV + " " + stddev + " must be a number >= 0");
    }
    return new LocalPrivacy(clip, stddev, new SecureNoise());
  }

  /** For tests: noise from {@code random}. */
  public static LocalPrivacy of(double clip, double stddev, Random random) {
    return new LocalPrivacy(clip, stddev, random);
  }

  public double clip() {
    return clip;
  }

  public double stddev() {
    return stddev;
  }

  /**
   * {@code global + noise + delta * min(1, clip / ||delta||)} where {@code delta = trained -
   * global}, over every value of the model.
   */
  public Parameters privatize(Parameters global, Parameters trained) {
    return privatize(global, trained, java.util.Set.of());
  }

  /**
   * As {@link #privatize(Parameters, Parameters)}, leaving the {@code frozen} tensors (the plan's
   * {@link TrainingPlan#frozenTensors()}) out: they keep the global values, unclipped and
   * noiseless.
   */
  public Parameters privatize(Parameters global, Parameters trained, java.util.Set<String> frozen) {
    global.requireSameLayout(trained, "trained model");
    double sq = 0;
    for (int t = 0; t < global.tensors().size(); t++) {
      if (frozen.contains(global.tensors().get(t).name())) {
        continue;
      }
      float[] g = global.tensors().get(t).data();
      float[] y = trained.tensors().get(t).data();
      for (int i = 0; i < g.length; i++) {
        double d = (double) y[i] - g[i];
        sq += d * d;
      }
    }
    double norm = Math.sqrt(sq);
    double scale = norm > clip ? clip / norm : 1.0;
    Parameters out = global.zerosLike();
    for (int t = 0; t < global.tensors().size(); t++) {
      float[] g = global.tensors().get(t).data();
      float[] y = trained.tensors().get(t).data();
      float[] o = out.tensors().get(t).data();
      if (frozen.contains(global.tensors().get(t).name())) {
        System.arraycopy(g, 0, o, 0, g.length);
        continue;
      }
      for (int i = 0; i < g.length; i++) {
        double d = ((double) y[i] - g[i]) * scale + stddev * random.nextGaussian();
        o[i] = (float) (g[i] + d);
      }
    }
    return out;
  }

  private static double number(Map<String, String> config, String key) {
    String v = config.get(key);
    if (v == null) {
      throw bad("local differential privacy needs " + key);
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(key + " '" + v + "' is not a number");
    }
  }

  private static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
