package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.ProcessLock;
import org.fedlink.proto.v1.Run;
import org.fedlink.proto.v1.Task;
import org.fedlink.superlink.StateFiles;
import org.fedlink.superlink.state.BlobStore;
import org.fedlink.superlink.state.SqliteLinkState;
import org.fedlink.transport.BlobTransfer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedlink superlink gc} on the state database of a SuperLink configuration. */
class SuperLinkGcCommandTest {
  // Past the inline size (512 KiB): kept as a file, so the blob folder shrinks by it.
  private static final int BLOB_BYTES = 600_000;

  @TempDir Path root;
  private Path config;
  private StateFiles files;

  @BeforeEach
  void createSuperLinkWithAStoppedAndAnOpenRun() {
    Cli.Result created =
        Cli.run(
            "configuration",
            "create",
            "--component",
            "superlink",
            "--name",
            "l.ini",
            "--root",
            root.toString());
    assertThat(created.exit()).as(created.err()).isZero();
    config = root.resolve("etc/l.ini");
    Path db = FedlinkConfig.load(config, Component.SUPERLINK).path(ConfigKeys.DB);
    files = StateFiles.of(root, db);
    try (SqliteLinkState state = SqliteLinkState.open(db)) {
      BlobStore blobs = new BlobStore(files.blobs(), state, Clock.systemUTC(), 0);
      for (String run : List.of("stopped", "open")) {
        state.createRun(Run.newBuilder().setRunId(run).build());
        String blob = upload(blobs, run.hashCode());
        state.insertTasks(
            List.of(
                Task.newBuilder()
                    .setTaskId(BlobTransfer.newBlobId())
                    .setRunId(run)
                    .setNodeId(1)
                    .setKind("train")
                    .setModelBlobId(blob)
                    .build()));
      }
      state.stopRun("stopped");
    }
  }

  private static String upload(BlobStore blobs, long seed) {
    byte[] data = new byte[BLOB_BYTES];
    new Random(seed).nextBytes(data);
    String id = BlobTransfer.newBlobId();
    long[] got = {0};
    BlobTransfer.upload(
        id,
        data,
        c -> {
          got[0] = blobs.append(0, c);
          return got[0];
        });
    return id;
  }

  private boolean runExists(String runId) {
    try (SqliteLinkState state = SqliteLinkState.open(files.database())) {
      return state.run(runId).isPresent();
    }
  }

  @Test
  void zeroDaysRemovesTheStoppedRunAndPrintsWhatWentAndTheSizes() {
    Cli.Result r =
        Cli.run("superlink", "--config", config.toString(), "gc", "--older-than-days", "0");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "removed 1 run(s) stopped more than 0 day(s) ago: 2 row(s), 1 blob(s), 600000 bytes")
        .contains("blobs " + files.blobs() + ": 1200000 -> 600000 bytes")
        .containsPattern(
            "database "
                + java.util.regex.Pattern.quote(files.database().toString())
                + ": \\d+ -> \\d+ bytes");
    assertThat(runExists("stopped")).isFalse();
    assertThat(runExists("open")).isTrue();
  }

  @Test
  void byDefaultARunStoppedLessThanRetentionDaysAgoIsKept() throws Exception {
    Files.writeString(
        config,
        Files.readString(config).replaceFirst("(?m)^retention_days = 7$", "retention_days = 3"));

    Cli.Result r = Cli.run("superlink", "gc", "--config", config.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("removed 0 run(s) stopped more than 3 day(s) ago");
    assertThat(runExists("stopped")).isTrue();
  }

  @Test
  void invalidRetentionDaysIsRefusedNamingTheKey() throws Exception {
    Files.writeString(
        config,
        Files.readString(config).replaceFirst("(?m)^retention_days = 7$", "retention_days = -1"));

    Cli.Result r = Cli.run("superlink", "--config", config.toString(), "gc");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: ")
        .contains("[superlink] retention_days = -1 is out of range; use 0..3650");
    assertThat(runExists("stopped")).isTrue();
  }

  @Test
  void refusesWhileTheSuperLinkHoldsTheDatabase() {
    try (ProcessLock running = ProcessLock.acquire(files.database(), "SuperLink state database")) {
      Cli.Result r =
          Cli.run("superlink", "--config", config.toString(), "gc", "--older-than-days", "0");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("is in use by process").contains("stop that process first");
    }
    assertThat(runExists("stopped")).isTrue();
  }
}
