package org.fedlink.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fedlink nodes}. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description =
        "List the SuperLink's nodes: node id, component id (the [default] id of the node's"
            + " configuration), online, last seen, key.")
final class NodesCommand implements Callable<Integer> {
  @Mixin ClientOptions client = new ClientOptions();

  @Mixin org.fedlink.cli.config.ConfigOption config = new org.fedlink.cli.config.ConfigOption();

  @Override
  public Integer call() {
    config.fill(org.fedlink.core.config.Component.RESEARCHER);
    Clients.requireTlsChoice(client);
    try (ControlConnection c =
        new ControlConnection(
            client.endpoint(),
            client.rootCertificates,
            Clients.authentication(client),
            Duration.ofSeconds(10))) {
      List<Node> nodes = c.listNodes();
      if (nodes.isEmpty()) {
        System.out.println("no node has registered yet");
        return 0;
      }
      long now = System.currentTimeMillis();
      System.out.printf(
          "%-20s %-24s %-7s %-12s %s%n", "NODE ID", "COMPONENT ID", "ONLINE", "LAST SEEN", "KEY");
      for (Node n : nodes) {
        System.out.printf(
            "%-20d %-24s %-7s %-12s %s%n",
            n.getNodeId(),
            n.getComponentId().isEmpty() ? "-" : n.getComponentId(),
            n.getOnline() ? "yes" : "no",
            ago(now - n.getLastSeenMs()),
            n.getKeyFingerprint());
      }
    }
    return 0;
  }

  private static String ago(long ms) {
    if (ms < 0) {
      return Instant.ofEpochMilli(ms).toString();
    }
    long s = ms / 1000;
    return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
  }
}
