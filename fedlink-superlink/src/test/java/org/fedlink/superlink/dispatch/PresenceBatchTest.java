package org.fedlink.superlink.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedlink.superlink.state.BlobStore;
import org.fedlink.superlink.state.LinkState;
import org.fedlink.superlink.state.NodeRecord;
import org.fedlink.superlink.state.SqliteLinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The presence check saves every node's last-seen time in one state call (each {@link LinkState}
 * call is one transaction), not one transaction per node.
 */
class PresenceBatchTest {
  private static final int NODES = 50;

  @TempDir Path dir;
  private SqliteLinkState sqlite;
  private final List<String> writes = new ArrayList<>();
  private LinkState state;

  @BeforeEach
  void open() {
    sqlite = SqliteLinkState.open(dir.resolve("superlink.sqlite"));
    // Records every call that writes last-seen times, then lets the real state do it.
    state =
        (LinkState)
            Proxy.newProxyInstance(
                LinkState.class.getClassLoader(),
                new Class<?>[] {LinkState.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("saveLastSeen")) {
                    writes.add(
                        args.length == 1 ? "batch of " + ((Map<?, ?>) args[0]).size() : "single");
                  }
                  try {
                    return method.invoke(sqlite, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
  }

  @AfterEach
  void close() {
    sqlite.close();
  }

  @Test
  void savesEveryNodesLastSeenInOneTransaction() {
    Presence presence = new Presence(60_000);
    Coordinator coordinator =
        new Coordinator(
            state, new BlobStore(dir.resolve("blobs"), state), new Dispatcher(), presence, 1_000);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      ids.add(coordinator.createNode(new byte[] {(byte) i, 1, 2, 3}).nodeId());
    }
    long later = System.currentTimeMillis() + 5_000;
    for (long id : ids) {
      presence.seen(id, later);
    }

    coordinator.checkPresence();

    assertThat(writes).containsExactly("batch of " + NODES);
    Set<Long> stored =
        sqlite.nodes().stream()
            .filter(n -> n.lastSeenMs() == later)
            .map(NodeRecord::nodeId)
            .collect(Collectors.toSet());
    assertThat(stored).containsExactlyInAnyOrderElementsOf(ids);
  }
}
