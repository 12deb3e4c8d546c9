package org.fedlink.researcher.strategies;

import java.util.List;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.Parameters;
import org.fedlink.core.Tensor;

/**
 * An aggregator that tolerates some Byzantine (arbitrarily wrong) updates by looking at every
 * update: coordinate-wise median, trimmed mean, Krum, Multi-Krum. Updates weigh the same whatever
 * their example counts (a Byzantine node could claim any count). They need the individual updates,
 * so they cannot run under secure aggregation, where the researcher decrypts only the sum: that
 * combination is refused.
 */
public abstract class RobustAggregator implements Strategy {

  /** The fewest updates a round needs for this aggregator's guarantee to hold. */
  public abstract int minimumNodes();

  /** Why {@link #minimumNodes()} is what it is, for messages. */
  abstract String minimumReason();

  @Override
  public final boolean needsIndividualUpdates() {
    return true;
  }

  @Override
  public Map<String, String> trainConfig() {
    return Map.of();
  }

  /** Checks the updates' layouts and count, then {@link #combine}. */
  @Override
  public final Parameters aggregate(Parameters global, List<NodeUpdate> updates) {
    for (NodeUpdate u : updates) {
      global.requireSameLayout(u.parameters(), "update of node " + u.nodeId());
    }
    if (updates.size() < minimumNodes()) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          name()
              + " got "
              + updates.size()
              + " update(s) but needs at least "
              + minimumNodes()
              + " ("
              + minimumReason()
              + "); raise --min-nodes to "
              + minimumNodes()
              + " or lower the assumed number of Byzantine nodes");
    }
    float[][] rows = new float[updates.size()][];
    for (int k = 0; k < rows.length; k++) {
      rows[k] = flatten(updates.get(k).parameters());
    }
    return unflatten(global, combine(rows));
  }

  /**
   * The aggregate of {@code rows} (one flattened model per node, at least {@link #minimumNodes}).
   */
  abstract float[] combine(float[][] rows);

  static float[] flatten(Parameters p) {
    float[] out = new float[Math.toIntExact(p.size())];
    int at = 0;
    for (Tensor t : p.tensors()) {
      System.arraycopy(t.data(), 0, out, at, t.size());
      at += t.size();
    }
    return out;
  }

  static Parameters unflatten(Parameters layout, float[] values) {
    Parameters out = layout.zerosLike();
    int at = 0;
    for (Tensor t : out.tensors()) {
      System.arraycopy(values, at, t.data(), 0, t.size());
      at += t.size();
    }
    return out;
  }

  static FedlinkException bad(String message) {
    return new FedlinkException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
