package org.fedlink.researcher.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    this(dir, List.of());
  }

  /**
   * The outputs of an experiment resumed after {@code history}: metrics.csv is rewritten
   * (atomically) to hold exactly those rounds, dropping a line of a round the crash interrupted.
   */
  public static ExperimentOutputs resume(Path dir, List<RoundMetrics> history) {
    return new ExperimentOutputs(dir, history);
  }

  private ExperimentOutputs(Path dir, List<RoundMetrics> history) {
    this.dir = dir;
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (RoundMetrics m : history) {
      csv.append(line(m));
    }
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(METRICS_CSV + ".tmp");
      Files.writeString(tmp, csv, StandardCharsets.UTF_8);
      Files.move(
          tmp,
          dir.resolve(METRICS_CSV),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot write to output folder " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /** Appends the round to metrics.csv. */
  public void appendRound(RoundMetrics m) {
    try {
      Files.writeString(
          dir.resolve(METRICS_CSV), line(m), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new FedlinkException(ErrorCode.INTERNAL, "cannot append to metrics.csv: " + e, e);
    }
  }

  private static String line(RoundMetrics m) {
    return String.format(
        Locale.ROOT,
        "%d,%d,%.6f,%.6f,%.6f,%.3f,%d%n",
        m.round(),
        m.nodes(),
        m.trainLoss(),
        m.valLoss(),
        m.valAccuracy(),
        m.seconds(),
        m.dropped().size());
  }

  /** Writes the final model and the plot. */
  public void finish(Parameters model, List<RoundMetrics> history) {
    ParametersCodec.write(model, dir.resolve(MODEL));
    MetricsPlot.write(history, dir.resolve(METRICS_PNG));
  }
}
