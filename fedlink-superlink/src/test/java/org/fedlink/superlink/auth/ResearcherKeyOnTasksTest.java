package org.fedlink.superlink.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedlink.superlink.auth.AuthFederation.createNode;
import static org.fedlink.superlink.auth.AuthFederation.signing;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.fedlink.crypto.KeyFingerprint;
import org.fedlink.crypto.OpenSshPublicKey;
import org.fedlink.proto.v1.ControlGrpc;
import org.fedlink.proto.v1.CreateRunRequest;
import org.fedlink.proto.v1.FleetGrpc;
import org.fedlink.proto.v1.NodeMessage;
import org.fedlink.proto.v1.PushTasksRequest;
import org.fedlink.proto.v1.Task;
import org.fedlink.transport.TaskKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node learns which researcher key pushed a task: the SuperLink writes the fingerprint of the key
 * it authenticated, over whatever the researcher claimed.
 */
class ResearcherKeyOnTasksTest {
  @TempDir Path dir;
  private AuthFederation fed;

  @BeforeEach
  void setUp() throws Exception {
    fed = new AuthFederation(dir);
  }

  @AfterEach
  void tearDown() {
    fed.close();
  }

  @Test
  void taskCarriesTheAuthenticatedResearcherKeyNotTheClaimedOne() throws Exception {
    fed.start(fed.authentication().researcherKeys(fed.researcherKeysFile).build());
    FleetGrpc.FleetBlockingStub node = fed.fleet(signing(fed.signer(fed.nodeA)));
    long nodeId = node.createNode(createNode(fed.nodeA)).getNodeId();
    Iterator<NodeMessage> tasks =
        FleetGrpc.newBlockingStub(fed.channel(signing(fed.signer(fed.nodeA))))
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .subscribeTasks(AuthFederation.subscribe(nodeId));
    ControlGrpc.ControlBlockingStub researcher =
        ControlGrpc.newBlockingStub(fed.channel(signing(fed.signer(fed.researcher))))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    String runId = UUID.randomUUID().toString();
    researcher.createRun(CreateRunRequest.newBuilder().putConfig("run_id", runId).build());

    researcher.pushTasks(
        PushTasksRequest.newBuilder()
            .addTasks(
                Task.newBuilder()
                    .setTaskId(UUID.randomUUID().toString())
                    .setRunId(runId)
                    .setNodeId(nodeId)
                    .setKind(TaskKeys.KIND_APPROVAL_REQUEST)
                    .putConfig(TaskKeys.RESEARCHER_KEY, "SHA256:claimed"))
            .build());

    NodeMessage received = tasks.next();
    while (!received.hasTask()) {
      received = tasks.next();
    }
    String expected = KeyFingerprint.of(OpenSshPublicKey.read(fed.publicKeyFile("researcher")));
    assertThat(received.getTask().getConfigMap()).containsEntry(TaskKeys.RESEARCHER_KEY, expected);
    assertThat(expected).startsWith("SHA256:");
  }
}
