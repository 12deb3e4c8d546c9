package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.config.Component;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code supernode start --connection-timeout} comes from the flag, else from {@code [supernode]
 * connection_timeout_s}, and a value out of range is refused in one line.
 */
class SuperNodeConnectionTimeoutTest {
  @TempDir Path root;

  private SuperNodeCommand.Start parse(String... args) {
    SuperNodeCommand.Start start = new SuperNodeCommand.Start();
    new CommandLine(start).parseArgs(args);
    start.config.fill(Component.SUPERNODE);
    return start;
  }

  private Path nodeConfig(String line) throws Exception {
    assertThat(
            Main.commandLine()
                .execute(
                    "configuration",
                    "create",
                    "--component",
                    "supernode",
                    "--name",
                    "n.ini",
                    "--root",
                    root.toString()))
        .isZero();
    Path file = root.resolve("etc/n.ini");
    String text = Files.readString(file);
    assertThat(text).contains("\nconnection_timeout_s = 20\n");
    Files.writeString(file, text.replace("\nconnection_timeout_s = 20\n", "\n" + line + "\n"));
    return file;
  }

  @Test
  void theFileSetsTheTimeoutAndTheFlagWins() throws Exception {
    Path file = nodeConfig("connection_timeout_s = 7");

    assertThat(parse("--config", file.toString()).connectionTimeoutSeconds).isEqualTo(7);
    assertThat(
            parse("--config", file.toString(), "--connection-timeout", "3")
                .connectionTimeoutSeconds)
        .isEqualTo(3);
  }

  @Test
  void outOfRangeInTheFileIsRefusedNamingTheKey() throws Exception {
    Path file = nodeConfig("connection_timeout_s = 0");
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));

    int exit = cl.execute("supernode", "start", "--config", file.toString());

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("connection_timeout_s").doesNotContain("\tat ");
  }

  @Test
  void outOfRangeFlagIsRefusedInOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err, true));

    int exit =
        cl.execute(
            "supernode",
            "start",
            "--superlink",
            "127.0.0.1:1",
            "--insecure",
            "--home",
            root.resolve("node").toString(),
            "--connection-timeout",
            "601");

    assertThat(exit).isNotZero();
    assertThat(err.toString().strip())
        .isEqualTo("error: --connection-timeout must be 1 to 600 seconds, got 601");
  }
}
