package org.fedlink.superlink.dispatch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.superlink.state.LinkState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a node may relay to: within a run it was sent a task of, to the researcher or to another node
 * that was sent a task of that run. A node can thus neither reach nodes outside its runs nor fill
 * the queues of runs it has no part in. Stateless.
 */
final class RelayScope {
  private static final Logger log = LoggerFactory.getLogger(RelayScope.class);

  private RelayScope() {}

  /**
   * Checks every envelope before any is stored.
   *
   * @throws FedlinkException REFUSED (PERMISSION_DENIED on the wire) naming the run
   */
  static void requireParticipants(LinkState state, long fromNodeId, List<Envelope> envelopes) {
    Map<String, Set<Long>> participants = new HashMap<>();
    for (Envelope e : envelopes) {
      Set<Long> nodes =
          participants.computeIfAbsent(e.getRunId(), run -> new HashSet<>(state.nodesOfRun(run)));
      if (!nodes.contains(fromNodeId)) {
        log.warn("relay refused: node {} has no task in run {}", fromNodeId, e.getRunId());
        throw new FedlinkException(
            ErrorCode.REFUSED,
            "node "
                + fromNodeId
                + " has no task in run "
                + e.getRunId()
                + ": it may relay only within its runs");
      }
      if (e.getToNodeId() != 0 && !nodes.contains(e.getToNodeId())) {
        log.warn(
            "relay refused: node {} to node {}, outside run {}",
            fromNodeId,
            e.getToNodeId(),
            e.getRunId());
        throw new FedlinkException(
            ErrorCode.REFUSED,
            "node "
                + e.getToNodeId()
                + " has no task in run "
                + e.getRunId()
                + ": envelopes go only to the run's participants");
      }
    }
  }
}
