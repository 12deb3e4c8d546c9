package org.fedlink.researcher.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.researcher.RoundMetrics;

/**
 * The files an experiment leaves behind in its output folder: {@code metrics.csv} (one line per
 * round, appended as soon as the round ends, so a crash loses nothing), {@code metrics.png} (loss
 * and accuracy per round) and {@code model.flp} (the final model, {@link ParametersCodec} format,
 * loadable as the initial model of a later run).
 */
public final class ExperimentOutputs {
  public static final String METRICS_CSV = "metrics.csv";
  public static final String METRICS_PNG = "metrics.png";
  public static final String MODEL = "model.flp";
  static final String HEADER = "round,nodes,train_loss,val_loss,val_accuracy,seconds,dropped";

  private final Path dir;

  public ExperimentOutputs(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(METRICS_CSV), HEADER + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot write to output folder " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /** Appends the round to metrics.csv. */
  public void appendRound(RoundMetrics m) {
    String line =
        String.format(
            Locale.ROOT,
            "%d,%d,%.6f,%.6f,%.6f,%.3f,%d%n",
            m.round(),
            m.nodes(),
            m.trainLoss(),
            m.valLoss(),
            m.valAccuracy(),
            m.seconds(),
            m.dropped().size());
    try {
      Files.writeString(
          dir.resolve(METRICS_CSV), line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot append to metrics.csv: " + e, e);
    }
  }

  /** Writes the final model and the plot. */
  public void finish(Parameters model, List<RoundMetrics> history) {
    ParametersCodec.write(model, dir.resolve(MODEL));
    MetricsPlot.write(history, dir.resolve(METRICS_PNG));
  }
}
