package org.fedlink.testing.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The links of an {@link EmulatedNetwork} measured from the outside, by UDP echoes between two
 * namespaces (Python's standard library: no ping needed): the round trip the delays add up to, the
 * loss rate, a cut and a restore, and nothing left behind after close. Needs root, {@code ip} and
 * netem or {@code /dev/net/tun}; without them it fails, saying which is missing.
 */
class EmulatedNetworkTest {
  /** Echoes every UDP datagram on port 7007 back to its sender. */
  private static final String ECHO =
      """
      import socket
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.bind(("0.0.0.0", 7007))
      print("ready", flush=True)
      while True:
          data, peer = s.recvfrom(2048)
          s.sendto(data, peer)
      """;

  /**
   * Sends N numbered datagrams to argv[1]:7007, one every 2 ms, and prints "sent N received K
   * min_ms X median_ms Y" once 2 s passed after the last.
   */
  private static final String PROBE =
      """
      import select, socket, struct, sys, time
      n = int(sys.argv[2])
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.setblocking(False)
      sent, rtts = {}, []
      i, next_send, end = 0, time.monotonic(), None
      while True:
          now = time.monotonic()
          if i < n and now >= next_send:
              sent[i] = now
              s.sendto(struct.pack("!I", i) + b"x" * 60, (sys.argv[1], 7007))
              i += 1
              next_send += 0.002
              if i == n:
                  end = now + 2.0
          if end is not None and now >= end:
              break
          r, _, _ = select.select([s], [], [], 0.001)
          if r:
              data = s.recv(2048)
              rtts.append(time.monotonic() - sent[struct.unpack("!I", data[:4])[0]])
      rtts.sort()
      median = rtts[len(rtts) // 2] * 1000 if rtts else -1
      low = rtts[0] * 1000 if rtts else -1
      print(f"sent {n} received {len(rtts)} min_ms {low:.2f} median_ms {median:.2f}")
      """;

  @TempDir Path dir;

  record Probe(int sent, int received, double minMs, double medianMs) {}

  @Test
  void echoesSeeTheShapedRoundTripLossAndCut() throws Exception {
    EmulatedNetwork.requireAvailable();
    List<String> namespaces;
    try (EmulatedNetwork n = EmulatedNetwork.start(dir, List.of("a", "b"), 5)) {
      namespaces = List.of(n.namespace("a"), n.namespace("b"));
      List<String> echo = new ArrayList<>(n.exec("a"));
      echo.addAll(List.of("python3", "-c", ECHO));
      Process server = new ProcessBuilder(echo).redirectErrorStream(true).start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        LinkShaper links = n.links();

        // Both links 25 ms each way: a round trip crosses each twice.
        links.shape("a", Duration.ofMillis(25), 0);
        links.shape("b", Duration.ofMillis(25), 0);
        Probe clean = probe(n, 200);
        assertThat(clean.received()).isEqualTo(200);
        assertThat(clean.minMs()).isGreaterThanOrEqualTo(100);
        assertThat(clean.medianMs()).isBetween(100.0, 130.0);

        // 1% each way on both links: 4 crossings per echo, about 3.9% of echoes lost.
        links.shape("a", Duration.ofMillis(25), 0.01);
        links.shape("b", Duration.ofMillis(25), 0.01);
        Probe lossy = probe(n, 1000);
        double lost = 1 - lossy.received() / 1000.0;
        assertThat(lost).as("share of echoes lost").isBetween(0.015, 0.07);
        LinkShaper.LinkStats stats = links.stats("b").orElseThrow();
        assertThat(stats.lostUp() + stats.lostDown()).isPositive();

        links.shape("a", Duration.ZERO, 0);
        links.shape("b", Duration.ZERO, 0);
        links.cut("b");
        assertThat(probe(n, 50).received()).isZero();
        links.restore("b");
        assertThat(probe(n, 50).received()).isEqualTo(50);
        System.out.printf(
            "%s: 100 ms round trip: min %.1f ms, median %.1f ms; 1%% loss each way: %d of 1000"
                + " echoes lost%n",
            links.mechanism(), clean.minMs(), clean.medianMs(), 1000 - lossy.received());
      } finally {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    String left = Commands.run("ip", "netns", "list");
    for (String ns : namespaces) {
      assertThat(left).doesNotContain(ns);
    }
    assertThat(Commands.run("ip", "-o", "link", "show"))
        .doesNotContain(namespaces.get(0).replace("fln-", "fln").replaceAll("-\\d+$", "-"));
  }

  @Test
  void startRemovesWhatARunOfAGoneJvmLeftWithWhatRunsInIt() throws Exception {
    EmulatedNetwork.requireAvailable();
    // The run id of a process that has ended, as a test JVM killed before its cleanup.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String pid = Long.toString(gone.pid(), 36);
    String runId = "0".repeat(5 - pid.length()) + pid + "zz";
    String ns = "fln-" + runId + "-0";
    String device = "fln" + runId + "-0r";
    Commands.run("ip", "netns", "add", ns);
    Commands.run("ip", "link", "add", device, "type", "veth", "peer", "name", device + "x");
    Process inside = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "600").start();
    try {
      assertThat(Commands.run("ip", "netns", "pids", ns)).contains("" + inside.pid());

      EmulatedNetwork.start(dir, List.of("a"), 1).close();

      assertThat(inside.waitFor(10, TimeUnit.SECONDS))
          .as("process in the stale namespace")
          .isTrue();
      assertThat(Commands.run("ip", "netns", "list")).doesNotContain(ns);
      assertThat(Commands.run("ip", "-o", "link", "show")).doesNotContain(device);
    } finally {
      inside.destroyForcibly();
      Commands.attempt("ip", "netns", "del", ns);
      Commands.attempt("ip", "link", "del", device);
    }
  }

  private static Probe probe(EmulatedNetwork n, int count) throws Exception {
    List<String> cmd = new ArrayList<>(n.exec("b"));
    cmd.addAll(List.of("python3", "-c", PROBE, n.address("a"), "" + count));
    String out = Commands.run(cmd.toArray(String[]::new));
    String[] w = out.lines().reduce((x, y) -> y).orElse("").split(" ");
    assertThat(w).as("probe output: %s", out).hasSize(8);
    return new Probe(
        Integer.parseInt(w[1]),
        Integer.parseInt(w[3]),
        Double.parseDouble(w[5]),
        Double.parseDouble(w[7]));
  }
}
