package org.fedlink.superlink.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.fedlink.proto.v1.BlobChunk;
import org.fedlink.proto.v1.Envelope;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.Status;
import org.fedlink.proto.v1.Task;
import org.fedlink.proto.v1.TaskResult;
import org.fedlink.superlink.GarbageCollection;
import org.fedlink.superlink.StateFiles;
import org.fedlink.transport.BlobTransfer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real SQLite file and blob folder, with the clock moved by the test instead of
 * waiting days.
 */
class RetentionSweepTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final int TASKS_PER_RUN = 400;

  /** A node's update: small enough to be kept in its row of the state. */
  private static final int BLOB_BYTES = 300_000;

  /** A model past the inline size: kept as a file of the blob folder. */
  private static final int MODEL_BYTES = 600_000;

  @TempDir Path home;
  private final ManualClock clock = new ManualClock();
  private StateFiles files;
  private SqliteLinkState state;
  private BlobStore blobs;

  @BeforeEach
  void open() {
    files = StateFiles.of(home, null);
    state = SqliteLinkState.open(files.database(), clock);
    blobs = new BlobStore(files.blobs(), state, clock, 0);
  }

  @AfterEach
  void close() {
    state.close();
  }

  /** What a run was made of, to check it is gone or intact. */
  private record Made(
      String runId, List<String> blobIds, List<String> taskIds, long blobBytes, long fileBytes) {}

  /**
   * A run with a model blob (a file), {@link #TASKS_PER_RUN} tasks with results (each tenth with
   * its own result blob, kept in its row) and an envelope per task; each row carries about 1 KiB,
   * as a run of many rounds does.
   */
  private Made run(String runId, long seed) {
    state.createRun(Run.newBuilder().setRunId(runId).setCreatedMs(clock.millis()).build());
    Random random = new Random(seed);
    List<String> blobIds = new ArrayList<>();
    String model = upload(random, 0, MODEL_BYTES);
    blobIds.add(model);
    List<Task> tasks = new ArrayList<>();
    String padding = "x".repeat(1024);
    for (int i = 0; i < TASKS_PER_RUN; i++) {
      tasks.add(
          Task.newBuilder()
              .setTaskId(UUID.randomUUID().toString())
              .setRunId(runId)
              .setNodeId(1 + i % 5)
              .setRound(i / 5)
              .setKind("train")
              .setModelBlobId(model)
              .putConfig("padding", padding)
              .setCreatedMs(clock.millis())
              .build());
    }
    state.insertTasks(tasks);
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      String resultBlob = "";
      if (i % 10 == 0) {
        resultBlob = upload(random, t.getNodeId(), BLOB_BYTES);
        blobIds.add(resultBlob);
      }
      state.insertResult(
          TaskResult.newBuilder()
              .setTaskId(t.getTaskId())
              .setRunId(runId)
              .setNodeId(t.getNodeId())
              .setBlobId(resultBlob)
              .setStatus(Status.newBuilder().setCode(0).setMessage(padding))
              .setCreatedMs(clock.millis())
              .build());
      state.insertEnvelope(
          Envelope.newBuilder()
              .setEnvelopeId(UUID.randomUUID().toString())
              .setRunId(runId)
              .setFromNodeId(t.getNodeId())
              .setToNodeId(0)
              .setPayload(ByteString.copyFromUtf8(padding))
              .build(),
          clock.millis());
    }
    return new Made(
        runId,
        blobIds,
        tasks.stream().map(Task::getTaskId).toList(),
        MODEL_BYTES + (long) (blobIds.size() - 1) * BLOB_BYTES,
        MODEL_BYTES);
  }

  private String upload(Random random, long owner, int bytes) {
    byte[] data = new byte[bytes];
    random.nextBytes(data);
    String id = BlobTransfer.newBlobId();
    long[] sent = {0};
    BlobTransfer.upload(
        id,
        data,
        c -> {
          sent[0] = blobs.append(owner, c);
          return sent[0];
        });
    return id;
  }

  /** Reads the blob back through the store, which checks its size and SHA-256. */
  private byte[] readBack(String id) {
    List<BlobChunk> got = new ArrayList<>();
    blobs.read(id, got::add);
    return BlobTransfer.download(id, got.iterator());
  }

  private void assertIntact(Made m) {
    assertThat(state.run(m.runId())).as("run %s", m.runId()).isPresent();
    assertThat(state.results(m.runId(), m.taskIds())).hasSize(TASKS_PER_RUN);
    assertThat(readBack(m.blobIds().get(0))).hasSize(MODEL_BYTES);
    for (String id : m.blobIds().subList(1, m.blobIds().size())) {
      assertThat(readBack(id)).hasSize(BLOB_BYTES);
    }
  }

  private void assertGone(Made m) {
    assertThat(state.run(m.runId())).as("run %s", m.runId()).isEmpty();
    assertThat(state.task(m.taskIds().get(0))).isEmpty();
    assertThat(state.results(m.runId(), m.taskIds())).isEmpty();
    assertThat(state.pendingEnvelopes(0, m.runId())).isEmpty();
    for (String id : m.blobIds()) {
      assertThat(state.blobOwner(id)).isEmpty();
      assertThat(state.blobData(id)).isEmpty();
      assertThat(files.blobs().resolve(id)).doesNotExist();
    }
  }

  @Test
  void gcRemovesRunsStoppedBeforeTheRetentionAndGivesTheSpaceBack() {
    Made old = run("old", 1);
    state.stopRun("old");
    clock.advance(Duration.ofDays(3));
    Made recent = run("recent", 2);
    state.stopRun("recent");
    Made open = run("open", 3);
    state.close();
    // 8 days after "old" stopped, 5 after "recent": only "old" is past a week.
    clock.advance(Duration.ofDays(5));

    long blobsBefore = files.blobBytes();
    GarbageCollection.Result r = GarbageCollection.run(files, WEEK, clock);
    long blobsAfter = files.blobBytes();
    System.out.printf(
        "gc: removed %s; blob folder %d -> %d bytes; database %d -> %d bytes%n",
        r.removed(), blobsBefore, blobsAfter, r.databaseBytesBefore(), r.databaseBytesAfter());

    assertThat(r.removed().runs()).isEqualTo(1);
    // The run, its tasks, their results and envelopes.
    assertThat(r.removed().rows()).isEqualTo(1 + 3L * TASKS_PER_RUN);
    assertThat(r.removed().blobs()).isEqualTo(old.blobIds().size());
    assertThat(r.removed().bytes()).isEqualTo(old.blobBytes());
    // The model was a file; the small result blobs were rows, given back with the database's.
    assertThat(blobsBefore - blobsAfter).isEqualTo(old.fileBytes());
    assertThat(r.databaseBytesBefore() - r.databaseBytesAfter())
        .isGreaterThanOrEqualTo(old.blobBytes() - old.fileBytes());
    // A third of the rows went; the file shrinks by at least a quarter (VACUUM, WAL truncated).
    assertThat(r.databaseBytesAfter()).isLessThan(r.databaseBytesBefore() * 3 / 4);
    assertThat(files.database().resolveSibling("superlink.sqlite-wal"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());

    state = SqliteLinkState.open(files.database(), clock);
    blobs = new BlobStore(files.blobs(), state, clock, 0);
    assertGone(old);
    assertIntact(recent);
    assertIntact(open);
  }

  @Test
  void zeroDaysRemovesEveryStoppedRunButNoOpenOneHoweverOld() {
    Made stopped = run("stopped", 4);
    state.stopRun("stopped");
    Made open = run("open", 5);
    clock.advance(Duration.ofDays(400));

    SweepReport r = new RetentionSweep(state, blobs, clock).sweep(Duration.ZERO);

    assertThat(r.runs()).isEqualTo(1);
    assertGone(stopped);
    assertIntact(open);
  }

  @Test
  void aSecondStopKeepsTheFirstStopTime() {
    Made m = run("twice", 6);
    state.stopRun("twice");
    clock.advance(Duration.ofDays(6));
    state.stopRun("twice");
    clock.advance(Duration.ofDays(2));

    SweepReport r = new RetentionSweep(state, blobs, clock).sweep(WEEK);

    assertThat(r.runs()).as("8 days after the first stop").isEqualTo(1);
    assertGone(m);
  }

  @Test
  void aBlobAnotherRunStillUsesStays() {
    Made old = run("old", 7);
    String shared = old.blobIds().get(0);
    state.createRun(Run.newBuilder().setRunId("later").setCreatedMs(clock.millis()).build());
    state.insertTasks(
        List.of(
            Task.newBuilder()
                .setTaskId(UUID.randomUUID().toString())
                .setRunId("later")
                .setNodeId(1)
                .setKind("train")
                .setModelBlobId(shared)
                .setCreatedMs(clock.millis())
                .build()));
    state.stopRun("old");
    clock.advance(Duration.ofDays(8));

    SweepReport r = new RetentionSweep(state, blobs, clock).sweep(WEEK);

    assertThat(r.runs()).isEqualTo(1);
    assertThat(r.blobs()).isEqualTo(old.blobIds().size() - 1);
    assertThat(readBack(shared)).hasSize(MODEL_BYTES);
  }

  @Test
  void aRunStoppedBeforeTheUpgradeIsKeptForAFullRetentionFromTheUpgrade() throws Exception {
    state.close();
    Path old = home.resolve("v2.sqlite");
    String url = "jdbc:sqlite:" + old;
    org.flywaydb.core.Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/superlink")
        .target("2")
        .load()
        .migrate();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
      c.createStatement()
          .executeUpdate(
              "INSERT INTO run (run_id, config, created_ms, stopped) VALUES ('r', x'', 0, 1)");
    }
    long beforeUpgrade = System.currentTimeMillis();

    state = SqliteLinkState.open(old, clock);

    assertThat(state.runsStoppedBefore(beforeUpgrade - 1000)).isEmpty();
    assertThat(state.runsStoppedBefore(System.currentTimeMillis() + 1000)).containsExactly("r");
  }

  @Test
  void unreferencedBlobsAndStrayFilesGoOnceOlderThanADay() throws Exception {
    String orphan = upload(new Random(8), 0, BLOB_BYTES);
    Path strayPart = files.blobs().resolve(UUID.randomUUID() + ".part");
    Files.write(strayPart, new byte[1000]);
    Files.setLastModifiedTime(strayPart, FileTime.fromMillis(clock.millis()));
    Path unrelated = files.blobs().resolve("README");
    Files.writeString(unrelated, "not a blob");
    RetentionSweep sweep = new RetentionSweep(state, blobs, clock);

    clock.advance(Duration.ofHours(23));
    SweepReport young = sweep.sweep(Duration.ZERO);
    clock.advance(Duration.ofHours(2));
    SweepReport old = sweep.sweep(Duration.ZERO);

    assertThat(young.isEmpty()).as("an upload whose tasks may still come").isTrue();
    assertThat(old.blobs()).isEqualTo(2);
    assertThat(old.bytes()).isEqualTo(BLOB_BYTES + 1000L);
    assertThat(state.blobOwner(orphan)).isEmpty();
    assertThat(strayPart).doesNotExist();
    assertThat(unrelated).exists();
  }
}
