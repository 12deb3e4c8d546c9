package org.fedlink.cli.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fedlink.cli.Main;
import picocli.CommandLine;

/** Runs the {@code fedlink} entry point in-process, capturing what it prints. */
final class Cli {
  record Result(int exit, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
