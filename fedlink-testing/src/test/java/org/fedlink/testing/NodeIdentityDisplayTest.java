package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fedlink.cli.Main;
import org.fedlink.proto.v1.Node;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.supernode.SuperNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A node has two ids, its configuration's component id and the SuperLink's numeric node id; users
 * see both side by side, and a starting node says where it dials before it has registered.
 */
class NodeIdentityDisplayTest {
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> nodeLog = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(SuperNode.class);

  @BeforeEach
  void captureNodeLog() {
    nodeLog.start();
    logger.addAppender(nodeLog);
  }

  @AfterEach
  void release() {
    logger.detachAppender(nodeLog);
  }

  private List<String> logged() {
    synchronized (nodeLog) {
      return nodeLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Test
  void nodesListAndNodeLogShowTheComponentIdBesideTheNodeId() throws Exception {
    try (TestFederation f =
        TestFederation.builder(dir)
            .nodes(2)
            .nodeSettings((i, node) -> node.componentId("NODE_site" + i))
            .start()) {
      f.awaitOnline(2, Duration.ofSeconds(30));
      long id0 = f.node(0).nodeId();
      long id1 = f.node(1).nodeId();

      try (ControlConnection c =
          new ControlConnection(f.endpoint(), f.caFile(), List.of(), Duration.ofSeconds(30))) {
        Map<Long, String> shown =
            c.listNodes().stream().collect(Collectors.toMap(Node::getNodeId, Node::getComponentId));
        assertThat(shown).containsEntry(id0, "NODE_site0").containsEntry(id1, "NODE_site1");
      }

      String table = nodesCommand(f);
      assertThat(table).contains("COMPONENT ID");
      assertThat(table.lines().filter(l -> l.startsWith(Long.toString(id0))))
          .singleElement()
          .asString()
          .contains("NODE_site0");

      assertThat(logged())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("SuperNode NODE_site0 starting: dialing the SuperLink at")
                      .contains(f.endpoint() + " (TLS, CA " + f.caFile())
                      .contains("no node authentication"))
          .anySatisfy(m -> assertThat(m).endsWith("as node " + id0 + " (NODE_site0)"));
    }
  }

  /** Runs {@code fedlink nodes} in-process and returns what it printed. */
  private static String nodesCommand(TestFederation f) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code =
          Main.commandLine()
              .execute(
                  "nodes",
                  "--superlink",
                  f.endpoint().toString(),
                  "--root-certificates",
                  f.caFile().toString());
      assertThat(code).as("exit code of fedlink nodes").isZero();
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
