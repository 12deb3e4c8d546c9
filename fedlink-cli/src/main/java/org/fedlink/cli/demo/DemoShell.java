package org.fedlink.cli.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.fedlink.cli.Main;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Runs the demo's steps as the {@code fedlink} commands a user would type, printing each one first:
 * short ones in this JVM, long-running components as separate processes.
 */
public final class DemoShell {
  private final PrintStream out;
  private final String launcher;
  private final ChildProcesses children;

  public DemoShell(PrintStream out, String launcher, ChildProcesses children) {
    this.out = out;
    this.launcher = launcher;
    this.children = children;
  }

  /** Prints a section title. */
  public void step(String title) {
    out.println();
    out.println("== " + title);
  }

  /** Prints a line that is not a command (a file edit, a note). */
  public void note(String line) {
    out.println(line);
  }

  /**
   * Prints and runs {@code fedlink <args>} in this JVM.
   *
   * @throws FedlinkException if the command exits with a failure
   */
  public void run(List<String> args) {
    show(args, "");
    int code = Main.commandLine().execute(args.toArray(new String[0]));
    if (code != 0) {
      throw new FedlinkException(
          ErrorCode.INTERNAL,
          "`fedlink " + String.join(" ", args) + "` failed (exit " + code + ")");
    }
  }

  /** Prints and starts {@code fedlink <args>} as a separate process logging to {@code log}. */
  public ChildProcesses.Child start(String name, List<String> args, Path log) {
    show(args, "&");
    return children.start(name, args, log);
  }

  private void show(List<String> args, String suffix) {
    out.println(
        "$ " + launcher + " " + String.join(" ", args) + (suffix.isEmpty() ? "" : " " + suffix));
  }
}
