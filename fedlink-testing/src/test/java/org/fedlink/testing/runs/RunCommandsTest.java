package org.fedlink.testing.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedlink.cli.Main;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.ExperimentListener;
import org.fedlink.researcher.ExperimentResult;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedlink runs list|show|log|stop} against a federation over loopback TLS: a follower
 * started while a run trains prints each round as it comes and ends when the run stops; once the
 * researcher's process is done, the SuperLink still shows the run and its rounds.
 */
class RunCommandsTest {
  @TempDir static Path dir;
  static TestFederation federation;

  @BeforeAll
  static void startFederation() throws InterruptedException {
    federation =
        TestFederation.builder(dir)
            .nodes(2)
            .nodeSettings(
                (i, node) ->
                    node.metricsAddress(new org.fedlink.transport.Endpoint("127.0.0.1", 0)))
            .start();
    federation.awaitOnline(2, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopFederation() {
    federation.close();
  }

  record Result(int exit, String out, String err) {}

  static Result cli(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  static Result runs(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "runs";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--superlink";
    all[args.length + 2] = "127.0.0.1:" + federation.superlink().port();
    all[args.length + 3] = "--root-certificates";
    all[args.length + 4] = federation.caFile().toString();
    return cli(all);
  }

  @Test
  void followPrintsEachRoundUntilTheRunStopsAndTheLogOutlivesTheResearcher() throws Exception {
    CompletableFuture<String> created = new CompletableFuture<>();
    CompletableFuture<Void> followerSawRound1 = new CompletableFuture<>();
    CompletableFuture<ExperimentResult> training =
        CompletableFuture.supplyAsync(
            () ->
                federation
                    .experiment()
                    .rounds(3)
                    .outputDir(dir.resolve("out"))
                    .listener(
                        new ExperimentListener() {
                          @Override
                          public void info(String message) {
                            if (message.startsWith("run ")) {
                              created.complete(message.split(" ")[1]);
                            }
                          }

                          @Override
                          public void roundFinished(org.fedlink.researcher.RoundMetrics m) {
                            if (m.round() == 2) {
                              // Round 1 was reported before round 2 began: the run goes on only
                              // once the follower has printed it, so it printed it live.
                              followerSawRound1.orTimeout(60, TimeUnit.SECONDS).join();
                            }
                          }
                        })
                    .build()
                    .run());
    String runId = created.get(60, TimeUnit.SECONDS);

    StringWriter followerOut =
        new StringWriter() {
          @Override
          public void write(String str, int off, int len) {
            super.write(str, off, len);
            if (toString().contains("\"round\":1,")) {
              followerSawRound1.complete(null);
            }
          }
        };
    Result followed =
        CompletableFuture.supplyAsync(
                () -> {
                  CommandLine cl = Main.commandLine();
                  StringWriter err = new StringWriter();
                  cl.setOut(new PrintWriter(followerOut, true));
                  cl.setErr(new PrintWriter(err, true));
                  int exit =
                      cl.execute(
                          "runs",
                          "log",
                          runId,
                          "--follow",
                          "--poll-ms",
                          "100",
                          "--json",
                          "--superlink",
                          "127.0.0.1:" + federation.superlink().port(),
                          "--root-certificates",
                          federation.caFile().toString());
                  return new Result(exit, followerOut.toString(), err.toString());
                })
            .get(120, TimeUnit.SECONDS);

    assertThat(followed.exit()).as(followed.err()).isZero();
    List<String> lines = followed.out().lines().toList();
    assertThat(lines).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(lines.get(i))
          .startsWith("{\"run_id\":\"" + runId + "\",\"round\":" + (i + 1) + ",\"rounds\":3,")
          .contains("\"val_accuracy\":");
    }
    assertThat(followerSawRound1).isDone();
    ExperimentResult r = training.get(60, TimeUnit.SECONDS);
    // The researcher is done; anyone with access still reads the run from the SuperLink.
    Result shown = runs("show", runId);
    assertThat(shown.exit()).as(shown.err()).isZero();
    assertThat(shown.out())
        .contains("state       stopped")
        .contains("round       3/3")
        .contains("nodes       2")
        .contains("  rounds    3");
    String accuracy = String.format(java.util.Locale.ROOT, "%.4f", r.last().valAccuracy());
    assertThat(shown.out().lines().filter(l -> l.startsWith("3/3 ")).findFirst().orElseThrow())
        .contains(accuracy);
    Result log = runs("log", runId);
    assertThat(log.out().lines().filter(l -> l.matches("^[123]/3 .*"))).hasSize(3);
    assertThat(log.out()).contains("run " + runId + " stopped: stopped by its researcher");

    Result listed = runs("list", "--json");
    assertThat(listed.out())
        .contains(
            "{\"run_id\":\""
                + runId
                + "\",\"owner\":\"\",\"state\":\"stopped\",\"round\":3,\"nodes\":2,");
  }

  @Test
  void stopEndsARunAndListShowsIt() {
    try (ControlConnection c =
        new ControlConnection(
            federation.endpoint(), federation.caFile(), List.of(), Duration.ofSeconds(10))) {
      c.createRun("to-stop", Map.of("rounds", "5"));
    }
    Result listed = runs("list");
    assertThat(listed.out())
        .containsPattern("(?m)^to-stop +- +running +0/5 +0 +20[0-9-]+ [0-9:]+Z$");

    Result stopped = runs("stop", "to-stop", "--json");

    assertThat(stopped.exit()).as(stopped.err()).isZero();
    assertThat(stopped.out().strip())
        .isEqualTo(
            "{\"run_id\":\"to-stop\",\"stopped\":true,\"stop_reason\":\"stopped by its researcher\"}");
    assertThat(runs("list").out()).containsPattern("(?m)^to-stop +- +stopped ");
  }

  @Test
  void unknownRunIsOneClearLine() {
    Result r = runs("show", "no-such-run");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).contains("run no-such-run does not exist").doesNotContain("\tat ");
  }
}
