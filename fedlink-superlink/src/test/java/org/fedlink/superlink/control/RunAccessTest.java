package org.fedlink.superlink.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.superlink.auth.AuthenticatedKey;
import org.fedlink.superlink.state.SqliteLinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run-ownership rules on their own, against a real state file, the caller in the Context. */
class RunAccessTest {
  private static final AuthenticatedKey ALICE =
      new AuthenticatedKey(new byte[] {1}, "SHA256:alice");
  private static final AuthenticatedKey BOB = new AuthenticatedKey(new byte[] {2}, "SHA256:bob");
  private static final String MODEL = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String UPDATE = "bbbbbbbb-0000-4000-8000-000000000002";
  private static final String LOOSE = "cccccccc-0000-4000-8000-000000000003";
  private static final String NODE_ONLY = "dddddddd-0000-4000-8000-000000000004";

  @TempDir Path dir;
  private SqliteLinkState state;
  private RunAccess access;

  @BeforeEach
  void open() {
    state = SqliteLinkState.open(dir.resolve("link.sqlite"));
    access = new RunAccess(state);
    state.createRun(Run.newBuilder().setRunId("owned").build(), "SHA256:alice");
    state.createRun(Run.newBuilder().setRunId("anonymous").build());
    state.insertBlob(MODEL, 0, 1, new byte[32], 1);
    state.insertBlob(UPDATE, 7, 1, new byte[32], 1);
    state.insertBlob(LOOSE, 0, 1, new byte[32], 1);
    state.insertBlob(NODE_ONLY, 7, 1, new byte[32], 1);
    state.insertTasks(
        List.of(
            Task.newBuilder()
                .setTaskId("t1")
                .setRunId("owned")
                .setNodeId(7)
                .setModelBlobId(MODEL)
                .build()));
    state.insertResult(
        TaskResult.newBuilder().setTaskId("t1").setRunId("owned").setBlobId(UPDATE).build());
  }

  @AfterEach
  void close() {
    state.close();
  }

  private static void as(AuthenticatedKey caller, Runnable check) {
    Context.current().withValue(AuthenticatedKey.CONTEXT_KEY, caller).run(check);
  }

  private static void assertRefused(ThrowingCallable call, String what) {
    assertThatThrownBy(call)
        .isInstanceOf(FedlinkException.class)
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.REFUSED))
        .hasMessageContaining(what)
        .hasMessageNotContaining("alice");
  }

  @Test
  void ownerMayUseItsRunAndItsBlobs() {
    as(ALICE, () -> access.requireRun("owned"));
    as(ALICE, () -> access.requireBlob(MODEL));
    as(ALICE, () -> access.requireBlob(UPDATE));
    assertThat(state.runOwner("owned")).contains("SHA256:alice");
  }

  @Test
  void anotherKeyIsRefusedNamingTheRun() {
    assertRefused(() -> as(BOB, () -> access.requireRun("owned")), "run owned");
    assertRefused(() -> as(BOB, () -> access.requireBlob(MODEL)), "run owned");
    assertRefused(() -> as(BOB, () -> access.requireBlob(UPDATE)), "run owned");
  }

  @Test
  void anOwnedRunIsClosedToACallerWithoutKey() {
    assertRefused(() -> access.requireRun("owned"), "run owned");
  }

  @Test
  void aRunWithoutOwnerIsOpenToEveryAdmittedCaller() {
    assertThat(state.runOwner("anonymous")).isEmpty();
    assertThatCode(() -> access.requireRun("anonymous")).doesNotThrowAnyException();
    assertThatCode(() -> as(BOB, () -> access.requireRun("anonymous"))).doesNotThrowAnyException();
  }

  @Test
  void unknownRunsAndUnreferencedNodeBlobsAreNotFound() {
    assertThatThrownBy(() -> as(ALICE, () -> access.requireRun("nope")))
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> as(ALICE, () -> access.requireBlob(NODE_ONLY)))
        .satisfies(e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.NOT_FOUND));
    // A researcher's upload no run uses yet: only its uploader knows the id.
    assertThatCode(() -> as(BOB, () -> access.requireBlob(LOOSE))).doesNotThrowAnyException();
  }
}
