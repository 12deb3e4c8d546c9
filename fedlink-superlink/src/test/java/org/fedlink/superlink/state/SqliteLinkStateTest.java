package org.fedlink.superlink.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.Status;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLinkStateTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String BLOB_A = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String BLOB_B = "bbbbbbbb-0000-4000-8000-000000000002";
  private static final String BLOB_C = "cccccccc-0000-4000-8000-000000000003";

  @TempDir Path dir;
  private Path file;
  private SqliteLinkState state;

  @BeforeEach
  void open() {
    file = dir.resolve("superlink.sqlite");
    state = SqliteLinkState.open(file);
  }

  @AfterEach
  void close() {
    state.close();
  }

  private void reopen() {
    state.close();
    state = SqliteLinkState.open(file);
  }

  private static Run run(String id) {
    return Run.newBuilder().setRunId(id).putConfig("rounds", "3").setCreatedMs(T0).build();
  }

  private static Task task(String id, String runId, long nodeId, long createdMs, String blob) {
    return Task.newBuilder()
        .setTaskId(id)
        .setRunId(runId)
        .setNodeId(nodeId)
        .setRound(1)
        .setKind("train")
        .setPlan("logistic-regression")
        .putConfig("dataset_tags", "iris")
        .setModelBlobId(blob)
        .setCreatedMs(createdMs)
        .build();
  }

  private static TaskResult result(Task t, String blob) {
    return TaskResult.newBuilder()
        .setTaskId(t.getTaskId())
        .setRunId(t.getRunId())
        .setNodeId(t.getNodeId())
        .setStatus(Status.newBuilder().setCode(0))
        .setBlobId(blob)
        .putMetrics("train_loss", 0.25)
        .setNumExamples(120)
        .setCreatedMs(T0 + 5)
        .build();
  }

  private static Envelope envelope(String id, String runId, long from, long to) {
    return Envelope.newBuilder()
        .setEnvelopeId(id)
        .setRunId(runId)
        .setFromNodeId(from)
        .setToNodeId(to)
        .setTopic("share")
        .setPayload(ByteString.copyFromUtf8("payload " + id))
        .build();
  }

  @Test
  void aNodeKeepsTheComponentIdItLastRegisteredWith() {
    NodeRecord n = state.createOrFindNode("hash-1", "SHA256:one", T0);
    assertThat(n.componentId()).isEmpty();

    state.saveComponentId(n.nodeId(), "NODE_8bc2");
    reopen();

    assertThat(state.node(n.nodeId()).orElseThrow().componentId()).isEqualTo("NODE_8bc2");
    assertThat(state.createOrFindNode("hash-1", "SHA256:one", T0 + 1).componentId())
        .isEqualTo("NODE_8bc2");
  }

  @Test
  void sameIdentityGetsTheSameNodeIdAcrossReopen() {
    NodeRecord first = state.createOrFindNode("hash-1", "SHA256:one", T0);
    NodeRecord other = state.createOrFindNode("hash-2", "SHA256:two", T0 + 1);

    reopen();
    NodeRecord again = state.createOrFindNode("hash-1", "SHA256:one", T0 + 100);

    assertThat(first.nodeId()).isPositive();
    assertThat(other.nodeId()).isPositive().isNotEqualTo(first.nodeId());
    assertThat(again).isEqualTo(first);
    assertThat(state.node(first.nodeId())).contains(first);
    assertThat(state.nodes()).containsExactly(first, other);
  }

  @Test
  void deletedNodeIsHiddenAndRevivedWithItsId() {
    NodeRecord n = state.createOrFindNode("hash-1", "SHA256:one", T0);

    state.deleteNode(n.nodeId());
    assertThat(state.node(n.nodeId())).isEmpty();
    assertThat(state.nodes()).isEmpty();

    reopen();
    NodeRecord revived = state.createOrFindNode("hash-1", "SHA256:one", T0 + 1000);

    assertThat(revived.nodeId()).isEqualTo(n.nodeId());
    assertThat(state.node(n.nodeId())).isPresent();
    assertThat(state.nodes()).extracting(NodeRecord::nodeId).containsExactly(n.nodeId());
  }

  @Test
  void lastSeenIsPersisted() {
    NodeRecord n = state.createOrFindNode("hash-1", "SHA256:one", T0);

    state.saveLastSeen(n.nodeId(), T0 + 42_000);
    reopen();

    assertThat(state.node(n.nodeId()).orElseThrow().lastSeenMs()).isEqualTo(T0 + 42_000);
    assertThat(state.node(n.nodeId()).orElseThrow().createdMs()).isEqualTo(T0);
  }

  @Test
  void lastSeenOfManyNodesIsSavedTogether() {
    NodeRecord a = state.createOrFindNode("hash-1", "SHA256:one", T0);
    NodeRecord b = state.createOrFindNode("hash-2", "SHA256:two", T0);

    state.saveLastSeen(java.util.Map.of(a.nodeId(), T0 + 1_000, b.nodeId(), T0 + 2_000));
    state.saveLastSeen(java.util.Map.of());
    reopen();

    assertThat(state.node(a.nodeId()).orElseThrow().lastSeenMs()).isEqualTo(T0 + 1_000);
    assertThat(state.node(b.nodeId()).orElseThrow().lastSeenMs()).isEqualTo(T0 + 2_000);
  }

  @Test
  void runsSurviveReopenAndASecondCreateIsANoOp() {
    state.createRun(run("r1"));
    state.createRun(run("r1").toBuilder().putConfig("rounds", "99").build());

    reopen();

    assertThat(state.run("r1")).contains(run("r1"));
    assertThat(state.run("r2")).isEmpty();
  }

  @Test
  void stoppedRunIsReportedStoppedAfterReopen() {
    state.createRun(run("r1"));

    state.stopRun("r1");
    reopen();

    assertThat(state.run("r1").orElseThrow().getStopped()).isTrue();
  }

  @Test
  void tasksAndResultsSurviveReopen() {
    state.createRun(run("r1"));
    Task t = task("t1", "r1", 5, T0, BLOB_A);
    state.insertTasks(List.of(t));
    TaskResult r = result(t, BLOB_B);
    state.insertResult(r);

    reopen();

    assertThat(state.task("t1")).contains(t);
    assertThat(state.task("nope")).isEmpty();
    assertThat(state.results("r1", List.of("t1"))).containsExactly(r);
  }

  @Test
  void insertTasksIsIdempotentAndKeepsTheFirstVersion() {
    state.createRun(run("r1"));
    Task t = task("t1", "r1", 5, T0, BLOB_A);
    state.insertTasks(List.of(t));

    state.insertTasks(List.of(t.toBuilder().setRound(7).build(), task("t2", "r1", 5, T0 + 1, "")));

    assertThat(state.task("t1")).contains(t);
    assertThat(state.openTasks(5)).extracting(Task::getTaskId).containsExactly("t1", "t2");
  }

  @Test
  void secondResultForATaskIsDropped() {
    state.createRun(run("r1"));
    Task t = task("t1", "r1", 5, T0, BLOB_A);
    state.insertTasks(List.of(t));
    TaskResult first = result(t, BLOB_B);

    assertThat(state.insertResult(first)).isTrue();
    assertThat(state.insertResult(result(t, BLOB_C).toBuilder().setNumExamples(1).build()))
        .isFalse();

    assertThat(state.results("r1", List.of("t1"))).containsExactly(first);
  }

  @Test
  void resultsAreFilteredByRunAndTaskIds() {
    state.createRun(run("r1"));
    state.createRun(run("r2"));
    Task a = task("a", "r1", 5, T0, "");
    Task b = task("b", "r1", 6, T0, "");
    Task c = task("c", "r2", 5, T0, "");
    state.insertTasks(List.of(a, b, c));
    state.insertResult(result(a, ""));
    state.insertResult(result(b, ""));
    state.insertResult(result(c, ""));

    assertThat(state.results("r1", List.of("a", "c")))
        .extracting(TaskResult::getTaskId)
        .containsExactly("a");
    assertThat(state.results("r1", List.of("a", "b")))
        .extracting(TaskResult::getTaskId)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(state.results("r1", List.of())).isEmpty();
  }

  @Test
  void openTasksAreTheNodesTasksWithoutResultInCreationOrder() {
    state.createRun(run("r1"));
    Task late = task("t-late", "r1", 5, T0 + 20, "");
    Task early = task("t-early", "r1", 5, T0 + 10, "");
    Task done = task("t-done", "r1", 5, T0 + 15, "");
    Task otherNode = task("t-other", "r1", 6, T0, "");
    state.insertTasks(List.of(late, early, done, otherNode));

    state.insertResult(result(done, ""));

    assertThat(state.openTasks(5)).containsExactly(early, late);
    assertThat(state.openTasks(6)).containsExactly(otherNode);
    assertThat(state.openTasks(7)).isEmpty();
  }

  @Test
  void openTasksExcludeStoppedRuns() {
    state.createRun(run("r1"));
    state.createRun(run("r2"));
    state.insertTasks(List.of(task("a", "r1", 5, T0, ""), task("b", "r2", 5, T0 + 1, "")));

    state.stopRun("r1");

    assertThat(state.openTasks(5)).extracting(Task::getTaskId).containsExactly("b");
  }

  @Test
  void blobsOfRunAreTheModelAndResultBlobsOfThatRunOnly() {
    state.createRun(run("r1"));
    state.createRun(run("r2"));
    Task a = task("a", "r1", 5, T0, BLOB_A);
    Task b = task("b", "r1", 6, T0, BLOB_A);
    Task noModel = task("c", "r1", 7, T0, "");
    Task other = task("d", "r2", 5, T0, BLOB_C);
    state.insertTasks(List.of(a, b, noModel, other));
    state.insertResult(result(a, BLOB_B));
    state.insertResult(result(noModel, ""));

    assertThat(state.blobsOfRun("r1")).containsExactlyInAnyOrder(BLOB_A, BLOB_B);
    assertThat(state.blobsOfRun("r2")).containsExactly(BLOB_C);
    assertThat(state.blobsOfRun("r3")).isEmpty();
  }

  @Test
  void blobBytesOfRunCountEachReferencedBlobOnce() {
    state.createRun(run("r1"));
    state.createRun(run("r2"));
    Task a = task("a", "r1", 5, T0, BLOB_A);
    Task b = task("b", "r1", 6, T0, BLOB_A);
    state.insertTasks(List.of(a, b, task("d", "r2", 5, T0, BLOB_C)));
    state.insertResult(result(a, BLOB_B));
    state.insertBlob(BLOB_A, 0, 100, new byte[32], T0);
    state.insertBlob(BLOB_B, 5, 20, new byte[32], T0);
    state.insertBlob(BLOB_C, 0, 4_000, new byte[32], T0);

    assertThat(state.blobBytesOfRun("r1")).isEqualTo(120);
    assertThat(state.blobBytesOfRun("r3")).isZero();
    assertThat(state.blobSize(BLOB_C)).contains(4_000L);
    assertThat(state.blobSize("dddddddd-0000-4000-8000-000000000004")).isEmpty();
  }

  @Test
  void envelopesAreCountedPerRunDeliveredOrNot() {
    state.insertEnvelope(envelope("e1", "r1", 5, 6), T0);
    state.insertEnvelope(envelope("e2", "r1", 6, 5), T0);
    state.insertEnvelope(envelope("e3", "r2", 6, 5), T0);
    state.markEnvelopeDelivered("e1");

    assertThat(state.envelopeCount("r1")).isEqualTo(2);
    assertThat(state.envelopeCount("r2")).isEqualTo(1);
    assertThat(state.envelopeCount("r3")).isZero();
  }

  @Test
  void nodeMayReadOnlyModelsOfItsOwnTasks() {
    state.createRun(run("r1"));
    state.insertTasks(List.of(task("a", "r1", 5, T0, BLOB_A), task("b", "r1", 6, T0, BLOB_B)));

    assertThat(state.nodeMayRead(5, BLOB_A)).isTrue();
    assertThat(state.nodeMayRead(5, BLOB_B)).isFalse();
    assertThat(state.nodeMayRead(7, BLOB_A)).isFalse();
  }

  @Test
  void blobRecordsHaveAnOwnerUntilDeleted() {
    state.insertBlob(BLOB_A, 5, 100, new byte[32], T0);
    reopen();

    assertThat(state.blobOwner(BLOB_A)).contains(5L);
    assertThat(state.blobOwner(BLOB_B)).isEmpty();

    state.deleteBlob(BLOB_A);

    assertThat(state.blobOwner(BLOB_A)).isEmpty();
  }

  @Test
  void envelopesArePendingPerRecipientUntilDelivered() {
    Envelope e1 = envelope("e1", "r1", 5, 6);
    Envelope e2 = envelope("e2", "r1", 7, 6);
    Envelope toOther = envelope("e3", "r1", 6, 5);
    Envelope otherRun = envelope("e4", "r2", 5, 6);
    state.insertEnvelope(e1, T0);
    state.insertEnvelope(e2, T0 + 1);
    state.insertEnvelope(toOther, T0 + 2);
    state.insertEnvelope(otherRun, T0 + 3);

    assertThat(state.pendingEnvelopes(6, "r1")).containsExactly(e1, e2);
    assertThat(state.pendingEnvelopes(6, null)).containsExactly(e1, e2, otherRun);
    assertThat(state.pendingEnvelopes(5, "r1")).containsExactly(toOther);

    state.markEnvelopeDelivered("e1");
    reopen();

    assertThat(state.pendingEnvelopes(6, "r1")).containsExactly(e2);
    assertThat(state.pendingEnvelopes(6, null)).containsExactly(e2, otherRun);
  }

  @Test
  void aNodeAcknowledgesOnlyEnvelopesAddressedToIt() {
    state.insertEnvelope(envelope("e1", "r1", 5, 6), T0);
    state.insertEnvelope(envelope("e2", "r1", 6, 7), T0 + 1);

    state.markEnvelopesDelivered(6, List.of("e1", "e2", "unknown"));
    reopen();

    assertThat(state.pendingEnvelopes(6, null)).isEmpty();
    assertThat(state.pendingEnvelopes(7, null))
        .extracting(Envelope::getEnvelopeId)
        .containsExactly("e2");
  }

  @Test
  void aRelayedEnvelopeIsStoredOnce() {
    Envelope e = envelope("e1", "r1", 5, 0);
    state.insertEnvelope(e, T0);
    state.markEnvelopeDelivered("e1");

    state.insertEnvelope(e, T0 + 1);

    assertThat(state.pendingEnvelopes(0, "r1")).isEmpty();
  }

  private static org.fedlink.proto.v1.RoundReport round(String run, int round, double acc) {
    return org.fedlink.proto.v1.RoundReport.newBuilder()
        .setRunId(run)
        .setRound(round)
        .putMetrics("val_accuracy", acc)
        .setReportedMs(T0 + round)
        .build();
  }

  @Test
  void roundReportsSurviveARestartAndGoWithTheirStoppedRun() {
    state.createRun(run("r1"), "SHA256:owner");
    state.saveRoundReport(round("r1", 1, 0.5));
    state.saveRoundReport(round("r1", 2, 0.6));
    // A resumed run redoes a round: its report replaces the first.
    state.saveRoundReport(round("r1", 2, 0.7));
    reopen();

    assertThat(state.roundReports("r1", 0))
        .extracting(r -> r.getMetricsMap().get("val_accuracy"))
        .containsExactly(0.5, 0.7);
    assertThat(state.roundReports("r1", 1)).extracting(r -> r.getRound()).containsExactly(2);
    assertThat(state.runSummary("r1").orElseThrow().getRound()).isEqualTo(2);
    assertThat(state.runSummary("r1").orElseThrow().getOwner()).isEqualTo("SHA256:owner");

    state.stopRun("r1", T0, "done");
    assertThat(state.deleteStoppedRun("r1")).isEqualTo(3);
    assertThat(state.roundReports("r1", 0)).isEmpty();
    assertThat(state.runSummaries()).isEmpty();
  }
}
