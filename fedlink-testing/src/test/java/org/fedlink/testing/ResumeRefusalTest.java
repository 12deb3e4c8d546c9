package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedlink.core.FedlinkException;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.researcher.checkpoint.Checkpoint;
import org.fedlink.researcher.checkpoint.CheckpointFile;
import org.fedlink.researcher.strategies.FedProx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a resume refuses, in process over real TLS: a run its failed or interrupted experiment
 * stopped, and a strategy setting that contradicts the checkpoint.
 */
class ResumeRefusalTest {
  @TempDir Path dir;

  @Test
  void anExperimentThatFailedStoppedItsRunAndItsResumeSaysSo() throws Exception {
    try (TestFederation f = TestFederation.builder(dir).nodes(2).start()) {
      f.awaitOnline(2, Duration.ofSeconds(30));
      Path out = dir.resolve("out");
      ExperimentListener failsAfterRoundOne =
          new ExperimentListener() {
            @Override
            public void roundFinished(RoundMetrics m) {
              throw new IllegalStateException("listener failed after round " + m.round());
            }
          };
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(4)
                      .strategy(new FedProx(0.1))
                      .outputDir(out)
                      .listener(failsAfterRoundOne)
                      .build()
                      .run())
          .hasMessageContaining("listener failed after round 1");
      Checkpoint c = CheckpointFile.read(out);
      assertThat(c.round()).isEqualTo(1);
      assertThat(c.strategyState()).containsEntry("mu", "0.1");

      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(4)
                      .strategy(new FedProx(0.2))
                      .outputDir(out)
                      .resume(c.runId())
                      .build()
                      .run())
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining(
              "setting proximal_mu (--proximal-mu) is '0.2' here but '0.1' in the checkpoint");

      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(4)
                      .strategy(new FedProx(0.1))
                      .outputDir(out)
                      .resume(c.runId())
                      .build()
                      .run())
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining("run " + c.runId() + " was stopped on the SuperLink at ")
          .hasMessageContaining("(stopped by its researcher); start a new run");
    }
  }

  @Test
  void resumingNeedsTheOutputFolderAndNoInitialModel() {
    assertThatThrownBy(
            () ->
                org.fedlink.researcher.Experiment.builder()
                    .superlink(new org.fedlink.transport.Endpoint("127.0.0.1", 1))
                    .insecure(true)
                    .datasetTags(List.of("t"))
                    .resume("r1")
                    .build())
        .hasMessageContaining("resuming run r1 needs its output folder (--output DIR)");
  }
}
