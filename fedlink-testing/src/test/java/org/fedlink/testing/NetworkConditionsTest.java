package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.fedlink.proto.v1.Node;
import org.fedlink.proto.v1.RoundReport;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundMetrics;
import org.fedlink.testing.netns.EmulatedNetwork;
import org.fedlink.testing.netns.LinkShaper;
import org.fedlink.testing.netns.NamespaceFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federation over real network conditions: the SuperLink and each SuperNode are separate JVMs
 * in network namespaces of their own, joined by links of 100 ms round trip and 1% loss each way
 * (the kernel's netem where it exists, else the user-space emulator of {@link EmulatedNetwork}).
 * One node's link is cut in the middle of a round and restored two rounds later.
 *
 * <p>Needs root, {@code ip} and netem or {@code /dev/net/tun}: without one it fails, saying which
 * is missing (it runs as root in CI).
 */
class NetworkConditionsTest {
  private static final int NODES = 4;
  private static final int CUT_NODE = 2;
  private static final int CUT_ROUND = 3;
  private static final int RESTORE_AFTER_ROUND = CUT_ROUND + 1;
  private static final int ROUNDS = 8;
  private static final Duration ONE_WAY = Duration.ofMillis(50);
  private static final double LOSS = 0.01;
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);
  // Margin for a loaded machine: a node JVM starved of CPU must not look offline.
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  /** What a node logs when it gives up a connection that went silent. */
  private static final String NOTICED = "is unavailable";

  @TempDir Path dir;

  @Test
  void roundCompletesWithoutACutNodeThatRejoinsAsItselfOnceItsLinkIsBack() throws Exception {
    EmulatedNetwork.requireAvailable();
    long testStart = System.nanoTime();
    try (NamespaceFederation f =
        NamespaceFederation.builder(dir)
            .nodes(NODES)
            .seed(12)
            .superlinkArgs(
                "--heartbeat-interval",
                arg(HEARTBEAT_INTERVAL),
                "--heartbeat-timeout",
                arg(HEARTBEAT_TIMEOUT))
            .nodeArgs("--connection-timeout", "" + CONNECTION_TIMEOUT.toSeconds())
            .start()) {
      LinkShaper links = f.network().links();
      System.out.println("links shaped by " + links.mechanism());
      for (int i = 0; i < NODES; i++) {
        links.shape(NamespaceFederation.node(i), ONE_WAY, LOSS);
      }
      long[] ids = new long[NODES];
      for (int i = 0; i < NODES; i++) {
        ids[i] = f.nodeId(i);
      }
      f.awaitOnline(NODES, Duration.ofMinutes(2));
      String cutHost = NamespaceFederation.node(CUT_NODE);
      long cutId = ids[CUT_NODE];

      Events events = new Events(f, links, cutHost, cutId);
      ExperimentResult result;
      try {
        result =
            f.experiment()
                .rounds(ROUNDS)
                .minNodes(NODES - 1)
                .roundTimeout(ROUND_TIMEOUT)
                .nodeWaitTimeout(Duration.ofSeconds(30))
                .reconnectTimeout(Duration.ofSeconds(30))
                .listener(events)
                .build()
                .run();
      } catch (RuntimeException e) {
        throw new AssertionError("experiment failed; logs:\n" + logs(dir.resolve("logs")), e);
      }
      String logs = logs(dir.resolve("logs"));
      List<RoundMetrics> history = result.history();
      assertThat(history).as("rounds, logs:\n%s", logs).hasSize(ROUNDS);

      // The round of the cut completes with the others, the cut node reported as dropped.
      RoundMetrics cutRound = history.get(CUT_ROUND - 1);
      assertThat(cutRound.nodes()).isEqualTo(NODES - 1);
      assertThat(cutRound.dropped())
          .singleElement()
          .asString()
          .contains("node " + cutId + " went offline");
      // ...and so does the run's log the SuperLink keeps.
      try (ControlConnection c = f.control()) {
        RoundReport stored = c.runLog(result.runId(), CUT_ROUND - 1).getRounds(0);
        assertThat(stored.getRound()).isEqualTo(CUT_ROUND);
        assertThat(stored.getDroppedList()).singleElement().asString().contains("node " + cutId);
      }
      assertThat(Files.readString(f.superlink().log()))
          .contains("node " + cutId + " is offline: no heartbeat for");

      // The drop came from the configured heartbeat timeout, not from the round timeout.
      double cutToDrop = seconds(events.cutAt, events.droppedAt);
      assertThat(cutToDrop)
          .as("seconds from the cut to the node's failed task")
          .isBetween(
              seconds(HEARTBEAT_TIMEOUT) - seconds(HEARTBEAT_INTERVAL) - 0.2,
              seconds(HEARTBEAT_TIMEOUT) + 3);
      assertThat(cutRound.seconds()).isLessThan(seconds(HEARTBEAT_TIMEOUT) + 5);

      // The node dropped its silent connection after its configured timeout.
      assertThat(events.noticedAt).as("node logged \"%s\" after the cut", NOTICED).isNotZero();
      double cutToNoticed = seconds(events.cutAt, events.noticedAt);
      assertThat(cutToNoticed)
          .as("seconds from the cut to the node dropping its connection")
          .isBetween(
              seconds(CONNECTION_TIMEOUT) - seconds(HEARTBEAT_INTERVAL) - 0.2,
              seconds(CONNECTION_TIMEOUT) + 3);

      // Back as itself (same node id, no new registration), and in the rounds that follow.
      assertThat(events.onlineAgain).as("node online after restore").isTrue();
      double restoreToOnline = seconds(events.restoredAt, events.onlineAgainAt);
      // It dials again at most a backoff (10 s at most) after the restore, and then needs a few
      // round trips of TCP, TLS and registration.
      assertThat(restoreToOnline).as("seconds from the restore to online").isLessThan(13);
      String cutLog = Files.readString(f.nodeProcess(CUT_NODE).log());
      assertThat(cutLog).contains("reconnected to the SuperLink at").contains("as node " + cutId);
      assertThat(cutLog.lines().filter(l -> l.contains("registered with the SuperLink")))
          .singleElement()
          .asString()
          .contains("as node " + cutId);
      for (RoundMetrics later : history.subList(RESTORE_AFTER_ROUND, ROUNDS)) {
        assertThat(later.nodes()).as("nodes in round %d", later.round()).isEqualTo(NODES);
      }
      assertThat(history.get(RESTORE_AFTER_ROUND - 1).nodes()).isEqualTo(NODES - 1);
      try (ControlConnection c = f.control()) {
        assertThat(c.listNodes())
            .extracting(Node::getNodeId)
            .containsExactlyInAnyOrder(Arrays.stream(ids).boxed().toArray(Long[]::new));
      }

      // The links were shaped: no round beats the round trip, and the emulator lost packets.
      for (RoundMetrics m : history) {
        assertThat(m.seconds()).as("round %d seconds", m.round()).isGreaterThan(0.2);
      }
      long lost = 0;
      for (int i = 0; i < NODES; i++) {
        lost +=
            links.stats(NamespaceFederation.node(i)).map(s -> s.lostUp() + s.lostDown()).orElse(0L);
      }
      if (links.stats(cutHost).isPresent()) {
        assertThat(lost).as("frames lost to the 1%% loss").isPositive();
        assertThat(links.stats(cutHost).get().cutDropped()).isPositive();
      }

      System.out.printf(
          Locale.ROOT,
          "%s; cut to drop %.2f s (heartbeat timeout %s s), cut to the node dropping its"
              + " connection %.2f s (connection timeout %s s), restore to online %.2f s, cut round"
              + " %.2f s; rounds (ms): %s; frames lost at random: %d; test %.1f s%n",
          links.mechanism(),
          cutToDrop,
          seconds(HEARTBEAT_TIMEOUT),
          cutToNoticed,
          seconds(CONNECTION_TIMEOUT),
          restoreToOnline,
          cutRound.seconds(),
          history.stream()
              .map(m -> String.valueOf(Math.round(m.seconds() * 1000)))
              .collect(Collectors.joining(" ")),
          lost,
          seconds(testStart, System.nanoTime()));
    }
  }

  /**
   * Cuts the node's link as the training phase of {@link #CUT_ROUND} starts (its task then never
   * reaches it), notes when its task fails, restores the link once {@link #RESTORE_AFTER_ROUND} is
   * over and holds the experiment until the SuperLink lists the node online again, so the next
   * round's selection sees it.
   */
  private static final class Events implements ExperimentListener {
    private final NamespaceFederation f;
    private final LinkShaper links;
    private final String host;
    private final long nodeId;
    volatile int logAtCut;
    volatile long cutAt;
    volatile long noticedAt;
    volatile long droppedAt;
    volatile long restoredAt;
    volatile long onlineAgainAt;
    volatile boolean onlineAgain;

    Events(NamespaceFederation f, LinkShaper links, String host, long nodeId) {
      this.f = f;
      this.links = links;
      this.host = host;
      this.nodeId = nodeId;
    }

    @Override
    public void phaseStarted(String phase, int expectedResults) {
      if (cutAt == 0 && phase.startsWith("round " + CUT_ROUND + "/")) {
        try {
          logAtCut = Files.readString(f.nodeProcess(CUT_NODE).log()).length();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        links.cut(host);
        cutAt = System.nanoTime();
      }
    }

    @Override
    public void resultReceived(long node, boolean ok) {
      if (node == nodeId && !ok && cutAt != 0 && droppedAt == 0) {
        droppedAt = System.nanoTime();
      }
    }

    @Override
    public void roundFinished(RoundMetrics metrics) {
      if (metrics.round() != RESTORE_AFTER_ROUND) {
        return;
      }
      try (ControlConnection c = f.control()) {
        // The node notices the silent SuperLink after its connection timeout, drops the
        // connection and dials again (and again) until the link is back.
        String log = Files.readString(f.nodeProcess(CUT_NODE).log());
        long noticeBy = cutAt + CONNECTION_TIMEOUT.plusSeconds(15).toNanos();
        while (!log.substring(logAtCut).contains(NOTICED) && System.nanoTime() < noticeBy) {
          Thread.sleep(20);
          log = Files.readString(f.nodeProcess(CUT_NODE).log());
        }
        if (log.substring(logAtCut).contains(NOTICED)) {
          noticedAt = System.nanoTime();
        }
        links.restore(host);
        restoredAt = System.nanoTime();
        long deadline = restoredAt + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          boolean online =
              c.listNodes().stream().anyMatch(n -> n.getNodeId() == nodeId && n.getOnline());
          if (online) {
            onlineAgainAt = System.nanoTime();
            onlineAgain = true;
            return;
          }
          Thread.sleep(20);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String arg(Duration d) {
    return String.format(Locale.ROOT, "%.3f", seconds(d));
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  /** The end of every child's log, for a failure message. */
  private static String logs(Path folder) throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        all.append("== ").append(file.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 25), lines.size())
            .forEach(l -> all.append(l).append('\n'));
      }
    }
    return all.toString();
  }
}
