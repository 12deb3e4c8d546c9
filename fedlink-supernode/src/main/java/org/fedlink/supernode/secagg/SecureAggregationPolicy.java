package org.fedlink.supernode.secagg;

import java.util.Objects;
import java.util.TreeSet;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.Task;
import org.fedlink.supernode.task.TaskPolicy;
import org.fedlink.transport.TaskKeys;

/**
 * The node's secure-aggregation policy, checked on every training and setup request, whatever the
 * scheme (Joye-Libert, LOM, SecAgg+):
 *
 * <table>
 *   <caption>policy</caption>
 *   <tr><th>secure_aggregation</th><th>force</th><th>researcher</th><th>node</th></tr>
 *   <tr><td>True</td><td>False</td><td>on / off</td><td>trains encrypted / plain</td></tr>
 *   <tr><td>True</td><td>True</td><td>off</td><td>refuses: secure aggregation required</td></tr>
 *   <tr><td>False</td><td>-</td><td>on</td><td>refuses: secure aggregation not enabled</td></tr>
 * </table>
 *
 * A secure request for a scheme outside {@code [security] secure_aggregation_schemes} is refused
 * naming the scheme and the node. A refusal fails the round; there is never a silent fallback to
 * plain training. Describe and evaluate tasks carry no update and are not affected. Immutable and
 * thread-safe.
 */
public final class SecureAggregationPolicy implements TaskPolicy {
  private final SecureAggregationSettings settings;

  public SecureAggregationPolicy(SecureAggregationSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public void check(long nodeId, Task task) {
    String kind = task.getKind();
    boolean setup = SecAggKeys.isSecureKind(kind);
    boolean train = kind.equals(TaskKeys.KIND_TRAIN);
    if (!setup && !train) {
      return;
    }
    boolean secure = setup || SecAggKeys.isSecure(task.getConfigMap());
    if (secure && !settings.enabled()) {
      throw new FedlinkException(
          ErrorCode.REFUSED,
          "secure aggregation not enabled on node "
              + nodeId
              + " ([security] secure_aggregation = False); run without secure aggregation or ask"
              + " the node's admin to enable it");
    }
    if (!secure && settings.forced()) {
      throw new FedlinkException(
          ErrorCode.REFUSED,
          "secure aggregation required by node "
              + nodeId
              + " ([security] force_secure_aggregation = True); run with secure aggregation"
              + " (--secagg "
              + String.join(" | ", new TreeSet<>(settings.schemes()))
              + ")");
    }
    String scheme = SecAggKeys.scheme(task.getConfigMap());
    if (secure && !settings.schemes().contains(scheme)) {
      throw new FedlinkException(
          ErrorCode.REFUSED,
          "secure aggregation scheme '"
              + scheme
              + "' is not accepted by node "
              + nodeId
              + " ([security] secure_aggregation_schemes = "
              + String.join(",", new TreeSet<>(settings.schemes()))
              + "); choose one of those with --secagg");
    }
  }
}
