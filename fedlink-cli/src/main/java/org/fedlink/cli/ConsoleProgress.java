package org.fedlink.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.RoundMetrics;

/**
 * Shows an experiment on the console: a progress bar per phase of a round (results received out of
 * expected) when attached to a terminal, and one line of metrics per round always.
 */
final class ConsoleProgress implements ExperimentListener {
  private final PrintStream out;
  private final boolean bars;
  private ProgressBar bar;

  ConsoleProgress(PrintStream out, boolean bars) {
    this.out = out;
    this.bars = bars && System.console() != null;
  }

  @Override
  public void phaseStarted(String phase, int expectedResults) {
    if (bars) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(String.format(Locale.ROOT, "%-22s", phase))
              .setInitialMax(expectedResults)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .setUnit(" nodes", 1)
              .hideEta()
              .build();
    }
  }

  @Override
  public void resultReceived(long nodeId, boolean ok) {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public void phaseFinished() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void roundFinished(RoundMetrics m) {
    out.printf(
        Locale.ROOT,
        "round %3d  nodes %d  train_loss %.4f  val_loss %.4f  val_accuracy %.4f  %.2f s%n",
        m.round(),
        m.nodes(),
        m.trainLoss(),
        m.valLoss(),
        m.valAccuracy(),
        m.seconds());
    if (m.hasEpsilon()) {
      out.printf(Locale.ROOT, "          epsilon %.4f (differential privacy)%n", m.epsilon());
    }
    out.flush();
  }

  @Override
  public void info(String message) {
    phaseFinished();
    out.println(message);
  }
}
