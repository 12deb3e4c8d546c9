package org.fedlink.testing.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short administration commands ({@code ip}, {@code tc}) run to completion. */
final class Commands {
  private Commands() {}

  /** The outcome of a command: exit code and its output (stdout and stderr together). */
  record Outcome(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  /** Runs {@code command}; never throws for a failing command, only reports it. */
  static Outcome attempt(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(-1, String.join(" ", command) + " did not end within 30 s");
      }
      return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Outcome(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "interrupted");
    }
  }

  static Outcome attempt(String... command) {
    return attempt(List.of(command));
  }

  /**
   * Runs {@code command} and returns its output.
   *
   * @throws IllegalStateException naming the command, its exit code and its output if it fails
   */
  static String run(String... command) {
    Outcome o = attempt(command);
    if (!o.ok()) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed with exit code " + o.code() + ": " + o.output());
    }
    return o.output();
  }
}
