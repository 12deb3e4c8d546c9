package org.fedlink.console;

import java.util.List;
import java.util.Map;
import org.fedlink.supernode.NodeActivity;
import org.fedlink.supernode.SuperNode;

/**
 * The status page: the SuperLink connection, node id, last tasks, counters and the security
 * settings. Without a node in this process only the settings are known.
 *
 * @param running whether a node runs in this process
 * @param connection one line on the SuperLink connection
 */
public record NodeStatus(
    boolean running,
    String superlink,
    String connection,
    long nodeId,
    String componentId,
    String keyFingerprint,
    List<NodeActivity.TaskEntry> tasks,
    long tasksOk,
    long tasksFailed,
    long workerRestarts,
    Map<String, String> security) {

  static NodeStatus of(ConsoleNode n) {
    SuperNode node = n.node();
    if (node == null) {
      return new NodeStatus(
          false,
          "-",
          "the node does not run in this process",
          0,
          "-",
          "-",
          List.of(),
          0,
          0,
          0,
          n.security());
    }
    SuperNode.Settings s = node.settings();
    String error = node.lastError();
    String connection =
        node.nodeId() == 0
            ? "not registered yet" + (error == null ? "" : ": " + error)
            : error == null ? "connected" : "reconnecting: " + error;
    NodeActivity a = node.activity();
    return new NodeStatus(
        true,
        s.superlink() + (s.insecure() ? " (INSECURE, no TLS)" : " (TLS)"),
        connection,
        node.nodeId(),
        s.componentId().isEmpty() ? "-" : s.componentId(),
        s.keyFingerprint() == null ? "- (no node authentication)" : s.keyFingerprint(),
        a.recent(),
        a.tasksOk(),
        a.tasksFailed(),
        node.planWorkers().map(w -> w.restarts()).orElse(0L),
        n.security());
  }

  /** A time for display. */
  public static String time(long ms) {
    return ms == 0 ? "-" : java.time.Instant.ofEpochMilli(ms).toString().replace('T', ' ');
  }
}
