package org.fedlink.testing.netns;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Links shaped by the kernel's netem qdisc, where the kernel has it: each host's link is a veth
 * pair to a bridge in a hub namespace; netem on the host's end shapes what the host sends, netem on
 * the hub's end what it receives. A cut is netem dropping every packet both ways.
 */
final class NetemLinks implements LinkShaper {
  /** One veth pair: the host's end in its namespace, the hub's end in the hub namespace. */
  record Ends(String hostNamespace, String hostDevice, String hubNamespace, String hubDevice) {}

  private final Map<String, Ends> ends;
  private final Map<String, String> shapes = new ConcurrentHashMap<>();

  NetemLinks(Map<String, Ends> ends) {
    this.ends = Map.copyOf(ends);
    for (String host : ends.keySet()) {
      shape(host, Duration.ZERO, 0);
    }
  }

  /** Whether this kernel has netem: tried once on the loopback device of a scratch namespace. */
  static boolean available(String scratchNamespace) {
    if (!Commands.attempt("ip", "netns", "add", scratchNamespace).ok()) {
      return false;
    }
    try {
      return Commands.attempt(
              "tc",
              "-n",
              scratchNamespace,
              "qdisc",
              "add",
              "dev",
              "lo",
              "root",
              "netem",
              "delay",
              "1ms")
          .ok();
    } finally {
      Commands.attempt("ip", "netns", "del", scratchNamespace);
    }
  }

  @Override
  public String mechanism() {
    return "netem qdisc (kernel)";
  }

  @Override
  public void shape(String host, Duration oneWayDelay, double loss) {
    String netem =
        String.format(
            Locale.ROOT, "delay %.3fms loss %.4f%%", oneWayDelay.toNanos() / 1e6, loss * 100);
    shapes.put(host, netem);
    apply(host, netem);
  }

  @Override
  public void cut(String host) {
    apply(host, "loss 100%");
  }

  @Override
  public void restore(String host) {
    apply(host, shapes.get(host));
  }

  @Override
  public Optional<LinkStats> stats(String host) {
    return Optional.empty();
  }

  private void apply(String host, String netem) {
    Ends e = ends.get(host);
    if (e == null) {
      throw new IllegalArgumentException("no link for host " + host + "; hosts: " + ends.keySet());
    }
    for (List<String> end :
        List.of(
            List.of(e.hostNamespace(), e.hostDevice()), List.of(e.hubNamespace(), e.hubDevice()))) {
      List<String> cmd =
          new java.util.ArrayList<>(
              List.of("tc", "-n", end.get(0), "qdisc", "replace", "dev", end.get(1), "root"));
      cmd.add("netem");
      cmd.addAll(List.of(netem.split(" ")));
      Commands.Outcome o = Commands.attempt(cmd);
      if (!o.ok()) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + o.output());
      }
    }
  }

  /** The veth pairs go with their namespaces. */
  @Override
  public void close() {}
}
