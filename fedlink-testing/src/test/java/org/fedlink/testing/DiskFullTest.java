package org.fedlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.ml.TrainingArgs;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.researcher.RoundFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SuperLink whose home (database and blob folder) is an 8 MiB tmpfs: a full disk refuses uploads
 * with RESOURCE_EXHAUSTED and a message, fails the task whose result cannot be stored at once,
 * keeps what it stored intact, and recovers when space comes back. Needs root to mount the tmpfs.
 */
class DiskFullTest {
  private static final long TMPFS_BYTES = 8L * 1024 * 1024;
  private static final long RESERVE_BYTES = 256L * 1024;

  @TempDir Path dir;

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static List<String> partFiles(Path blobs) throws Exception {
    try (Stream<Path> s = Files.list(blobs)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
    }
  }

  @Test
  void fullDiskRefusesUploadsAndFailsTheTaskAtOnceThenRecovers() throws Exception {
    // Small blobs are rows of the database: the disk that fills is the SuperLink's home.
    Path home = dir.resolve("superlink");
    Path blobs = home.resolve("blobs");
    try (Tmpfs disk = Tmpfs.mount(home, TMPFS_BYTES);
        TestFederation f =
            TestFederation.builder(dir)
                .nodes(1)
                .superlinkSettings(link -> link.diskReserveBytes(RESERVE_BYTES))
                .start();
        ControlConnection control =
            new ControlConnection(f.endpoint(), f.caFile(), List.of(), Duration.ofSeconds(30))) {
      f.awaitOnline(1, Duration.ofSeconds(30));
      ch.qos.logback.classic.Logger storeLog =
          (ch.qos.logback.classic.Logger)
              org.slf4j.LoggerFactory.getLogger(org.fedlink.superlink.state.BlobStore.class);
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
          new ch.qos.logback.core.read.ListAppender<>();
      logged.start();
      storeLog.addAppender(logged);
      byte[] before = random(300_000, 1);
      String storedBefore = control.upload(before);

      Path filler = disk.fillLeaving(RESERVE_BYTES / 2);
      long freeWhenFull = Files.getFileStore(blobs).getUsableSpace();

      assertThatThrownBy(() -> control.upload(random(300_000, 2)))
          .isInstanceOfSatisfying(
              FedlinkException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
          .hasMessageContaining("SuperLink disk full")
          .hasMessageContaining("free")
          .hasMessageContaining("fedlink superlink gc");
      assertThat(partFiles(blobs)).as("no partial blob is left").isEmpty();
      // Nothing of the refused 300 KB stays; the database's own writes since (presence) may take
      // a few pages of its log.
      assertThat(Files.getFileStore(blobs).getUsableSpace())
          .isGreaterThan(freeWhenFull - 64 * 1024);

      // A node's result cannot be stored: its task fails now, long before the round timeout.
      Duration roundTimeout = Duration.ofMinutes(5);
      long start = System.nanoTime();
      assertThatThrownBy(
              () ->
                  f.experiment()
                      .rounds(1)
                      .roundTimeout(roundTimeout)
                      .trainingArgs(TrainingArgs.defaults())
                      .build()
                      .run())
          .isInstanceOf(RoundFailedException.class)
          .hasMessageContaining("node " + f.node(0).nodeId())
          .hasMessageContaining("SuperLink disk full");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isLessThan(roundTimeout.dividedBy(5));
      assertThat(partFiles(blobs)).isEmpty();

      Files.delete(filler);

      byte[] after = random(300_000, 3);
      String storedAfter = control.upload(after);
      assertThat(sha256(control.download(storedAfter))).isEqualTo(sha256(after));
      assertThat(sha256(control.download(storedBefore)))
          .as("a blob stored before the disk filled up")
          .isEqualTo(sha256(before));
      ExperimentResult r =
          f.experiment().rounds(1).trainingArgs(TrainingArgs.defaults()).build().run();
      assertThat(r.history()).hasSize(1);

      storeLog.detachAppender(logged);
      List<String> warnings =
          logged.list.stream()
              .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
              .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
              .toList();
      assertThat(warnings)
          .as("two uploads refused, one line")
          .singleElement()
          .asString()
          .startsWith("disk full: " + home.toAbsolutePath() + " has ")
          .contains(" free, below the reserve of 256.0 KiB");
      assertThat(logged.list)
          .anySatisfy(e -> assertThat(e.getFormattedMessage()).startsWith("disk space is back: "));
    }
  }
}
