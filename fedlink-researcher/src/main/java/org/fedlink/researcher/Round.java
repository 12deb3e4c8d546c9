package org.fedlink.researcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.researcher.strategies.NodeUpdate;

/**
 * The training phase of one round, as an experiment drives it: send the global model out, have the
 * nodes train, and bring back what the strategy aggregates. A plain round brings one update per
 * node; a secure round (Joye-Libert, LOM, SecAgg+) learns only the weighted mean of the nodes'
 * deltas and brings it as one update, {@link #aggregate}: global + mean delta, weighted by the
 * total number of examples, so that the weighted mean of that single update is the mean of the
 * nodes' models and a strategy working on the mean update (FedAvg, a server optimizer) consumes it
 * unchanged.
 *
 * <p>Implementations are driven by one experiment and need not be thread-safe. {@link #close()}
 * stops background work.
 */
public interface Round extends AutoCloseable {
  /** Node id of the update that stands for the aggregate of a secure round. */
  long AGGREGATE = 0;

  /**
   * Runs the training phase of {@code round}.
   *
   * @param global the model the nodes start from
   * @param modelBlobId the uploaded {@code global}
   * @param label e.g. "round 2/10 train", for progress and messages
   * @throws RoundFailedException if the round cannot complete; the message names the node(s) or the
   *     check that failed
   */
  Outcome train(int round, Parameters global, String modelBlobId, String label);

  /**
   * What this kind of round learned that later rounds use and a checkpoint must keep so a resumed
   * run repeats them exactly (LOM: each node's last example count); keys are this round's own.
   */
  default Map<String, String> state() {
    return Map.of();
  }

  /** Takes back {@link #state()} from a checkpoint; keys that are not its own are ignored. */
  default void restore(Map<String, String> state) {}

  @Override
  default void close() {}

  /**
   * What a training phase brought back.
   *
   * @param results the train results of the nodes whose updates count (metrics, example counts), by
   *     node id
   * @param updates what the strategy aggregates: one update per node, or the one {@link #aggregate}
   *     of a secure round
   * @param dropped messages of nodes left out during the phase (went offline)
   */
  record Outcome(List<TaskResult> results, List<NodeUpdate> updates, List<String> dropped) {
    public Outcome {
      results = List.copyOf(results);
      updates = List.copyOf(updates);
      dropped = List.copyOf(dropped);
    }
  }

  /**
   * The update that stands for a secure round's nodes: global + {@code meanDelta}, weighted by
   * {@code totalWeight}.
   */
  static NodeUpdate aggregate(Parameters global, float[] meanDelta, long totalWeight) {
    Objects.requireNonNull(global, "global");
    if (meanDelta.length != global.size()) {
      throw new IllegalArgumentException(
          "mean delta of " + meanDelta.length + " values for a model of " + global.size());
    }
    List<Tensor> out = new ArrayList<>();
    int at = 0;
    for (Tensor t : global.tensors()) {
      float[] d = t.data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] += meanDelta[at++];
      }
      out.add(new Tensor(t.name(), t.shape(), d));
    }
    return new NodeUpdate(AGGREGATE, Parameters.of(out), totalWeight);
  }
}
