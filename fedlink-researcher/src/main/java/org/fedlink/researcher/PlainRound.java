package org.fedlink.researcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.fedlink.core.Parameters;
import org.fedlink.core.ParametersCodec;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.strategies.NodeUpdate;
import org.fedlink.transport.TaskKeys;

/**
 * A round in plain: every online node trains and uploads its model, which the researcher downloads
 * (several at a time) and hands to the strategy, one update per node. Nodes that go offline are
 * absorbed by the {@link RunDriver} while the minimum holds.
 */
final class PlainRound implements Round {
  private final RunDriver driver;
  private final ControlConnection control;
  private final ExecutorService downloads;

  PlainRound(RunDriver driver, ControlConnection control, ExecutorService downloads) {
    this.driver = driver;
    this.control = control;
    this.downloads = downloads;
  }

  @Override
  public Outcome train(int round, Parameters global, String modelBlobId, String label) {
    List<TaskResult> trained = driver.phase(TaskKeys.KIND_TRAIN, round, modelBlobId, label);
    List<Parameters> models = downloadAll(trained);
    List<NodeUpdate> updates = new ArrayList<>();
    for (int i = 0; i < trained.size(); i++) {
      TaskResult r = trained.get(i);
      updates.add(new NodeUpdate(r.getNodeId(), models.get(i), r.getNumExamples()));
    }
    return new Outcome(trained, updates, List.of());
  }

  /** Downloads and decodes the result blobs, several at a time, in the order of the results. */
  private List<Parameters> downloadAll(List<TaskResult> results) {
    List<CompletableFuture<Parameters>> futures = new ArrayList<>();
    for (TaskResult r : results) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> ParametersCodec.decode(control.download(r.getBlobId())), downloads));
    }
    List<Parameters> out = new ArrayList<>();
    for (CompletableFuture<Parameters> f : futures) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw e;
      }
    }
    return out;
  }
}
