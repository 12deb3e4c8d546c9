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
import org.fedlink.core.model.NpzFile;
import org.fedlink.core.model.SafetensorsFile;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.researcher.RoundMetrics;

/**
 * The files an experiment leaves behind in its output folder: {@code metrics.csv} (one line per
 * round, appended as soon as the round ends, so a crash loses nothing), {@code metrics.png} (loss
 * and accuracy per round) and {@code model.flp} (the final model, {@link ParametersCodec} format,
 * loadable as the initial model of a later run), with the same model as {@code model.npz} and
 * {@code model.safetensors} for Python.
 *
 * <p>One run per folder at a time: the run holds an OS lock on {@value #LOCK} (holding its PID and
 * run id) until {@link #close()}, and a second run, in this process or another, is refused naming
 * the folder and the run using it, so {@code metrics.csv} rows of two runs never mix. A folder a
 * finished or killed run left behind is reused: its {@code metrics.csv} starts afresh.
 */
public final class ExperimentOutputs implements AutoCloseable {
  public static final String METRICS_CSV = "metrics.csv";
  public static final String METRICS_PNG = "metrics.png";
  public static final String MODEL = "model.flp";

  /** The final model as NumPy reads it: {@code numpy.load("model.npz")["layer0.weight"]}. */
  public static final String MODEL_NPZ = "model.npz";

  /** The final model as the safetensors package reads it. */
  public static final String MODEL_SAFETENSORS = "model.safetensors";

  public static final String LOCK = ".fedlink-run.lock";
  static final String HEADER = "round,nodes,train_loss,val_loss,val_accuracy,seconds,dropped";

  /** The header with the differential-privacy column, for experiments with DP. */
  static final String HEADER_DP = HEADER + ",epsilon";

  private final Path dir;
  private final ProcessLock lock;
  private final boolean epsilon;

  /**
   * Takes the folder for run {@code runId} and starts its {@code metrics.csv}.
   *
   * @throws FedlinkException FAILED_PRECONDITION if another run uses the folder, CONFIGURATION if
   *     it cannot be written
   */
  public ExperimentOutputs(Path dir, String runId) {
    this(dir, runId, List.of(), false);
  }

  /**
   * As {@link #ExperimentOutputs(Path, String)}; with {@code epsilon}, metrics.csv has a last
   * column {@code epsilon} (an experiment with differential privacy).
   */
  public ExperimentOutputs(Path dir, String runId, boolean epsilon) {
    this(dir, runId, List.of(), epsilon);
  }

  /**
   * The outputs of run {@code runId} resumed after {@code history}: metrics.csv is rewritten
   * (atomically) to hold exactly those rounds, dropping a line of a round the crash interrupted.
   *
   * @throws FedlinkException as the constructor
   */
  public static ExperimentOutputs resume(Path dir, String runId, List<RoundMetrics> history) {
    return new ExperimentOutputs(dir, runId, history, false);
  }

  /** As {@link #resume(Path, String, List)}, with the {@code epsilon} column if asked. */
  public static ExperimentOutputs resume(
      Path dir, String runId, List<RoundMetrics> history, boolean epsilon) {
    return new ExperimentOutputs(dir, runId, history, epsilon);
  }

  private ExperimentOutputs(Path dir, String runId, List<RoundMetrics> history, boolean epsilon) {
    this.dir = dir;
    this.epsilon = epsilon;
    StringBuilder csv = new StringBuilder(epsilon ? HEADER_DP : HEADER).append('\n');
    for (RoundMetrics m : history) {
      csv.append(line(m));
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot write to output folder " + dir + ": " + e.getMessage(),
          e);
    }
    this.lock =
        ProcessLock.acquireFile(
            dir.resolve(LOCK),
            "run " + runId,
            holder ->
                new FedlinkException(
                    ErrorCode.FAILED_PRECONDITION,
                    "output folder "
                        + dir
                        + " is in use by "
                        + (holder.note().isEmpty() ? "another run" : holder.note())
                        + " (process "
                        + holder.pid()
                        + "): pass another --output, or wait until that run ends"));
    try {
      Path tmp = dir.resolve(METRICS_CSV + ".tmp");
      Files.writeString(tmp, csv, StandardCharsets.UTF_8);
      Files.move(
          tmp,
          dir.resolve(METRICS_CSV),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      lock.close();
      throw new FedlinkException(
          ErrorCode.CONFIGURATION,
          "cannot write to output folder " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /** Releases the folder for the next run. Idempotent. */
  @Override
  public void close() {
    lock.close();
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

  private String line(RoundMetrics m) {
    if (epsilon) {
      return String.format(
          Locale.ROOT,
          "%d,%d,%.6f,%.6f,%.6f,%.3f,%d,%.6f%n",
          m.round(),
          m.nodes(),
          m.trainLoss(),
          m.valLoss(),
          m.valAccuracy(),
          m.seconds(),
          m.dropped().size(),
          m.epsilon());
    }
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

  /** Writes the final model (as .flp, .npz and .safetensors) and the plot. */
  public void finish(Parameters model, List<RoundMetrics> history) {
    ParametersCodec.write(model, dir.resolve(MODEL));
    NpzFile.write(model, dir.resolve(MODEL_NPZ));
    SafetensorsFile.write(model, dir.resolve(MODEL_SAFETENSORS));
    MetricsPlot.write(history, dir.resolve(METRICS_PNG));
  }
}
