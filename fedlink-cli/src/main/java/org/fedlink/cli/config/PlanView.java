package org.fedlink.cli.config;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.fedlink.core.TerminalText;
import org.fedlink.ml.plan.PlanJarContents;
import org.fedlink.ml.plan.SourceFile;
import org.fedlink.supernode.plans.PlanDetails;
import org.fedlink.supernode.plans.TrainingPlanRecord;

/**
 * What {@code training-plan view} prints: the plan's record, what its JAR (the node's own copy)
 * holds, and the source files that came with the request. Every text a researcher chose is printed
 * through {@link TerminalText}, so a hostile entry name or source file cannot rewrite the admin's
 * terminal. Reads the JAR when built.
 */
final class PlanView {
  private static final List<String> CAVEAT = PlanDetails.SOURCES_CAVEAT;

  private final TrainingPlanRecord plan;
  private final List<SourceFile> sent;
  private final PlanJarContents jar;
  private final String jarProblem;

  /**
   * @param details the plan, its JAR's contents and the sources sent with it
   */
  PlanView(PlanDetails details) {
    Objects.requireNonNull(details, "details");
    this.plan = details.plan();
    this.sent = details.sent();
    this.jar = details.jar();
    this.jarProblem = details.jarProblem();
  }

  void print(PrintWriter out) {
    field(out, "hash", plan.hash() + " (" + plan.algorithm() + ")");
    field(out, "status", plan.status().display());
    field(out, "name", TerminalText.line(plan.name()));
    field(out, "class", classLine());
    field(out, "researcher", TerminalText.line(plan.researcherId()) + " (as the request states)");
    field(
        out,
        "key",
        plan.researcherKey() == null
            ? "- (the SuperLink did not authenticate the researcher)"
            : TerminalText.line(plan.researcherKey()) + " (authenticated by the SuperLink)");
    field(out, "notes", TerminalText.line(plan.notes()));
    field(out, "received", Instant.ofEpochMilli(plan.createdMs()).toString());
    field(out, "updated", Instant.ofEpochMilli(plan.updatedMs()).toString());
    field(out, "jar", plan.jar().toString());
    field(out, "jar sha256", TerminalText.line(plan.jarSha256()));
    if (jar == null) {
      field(out, "entries", "cannot be read: " + TerminalText.line(jarProblem));
    } else {
      field(out, "jar size", jar.jarBytes() + " bytes");
      printEntries(out);
    }
    printSources(out);
  }

  private String classLine() {
    String stored = TerminalText.line(plan.className());
    if (jar == null || jar.planClass().isEmpty()) {
      return stored;
    }
    String now = TerminalText.line(jar.planClass().get());
    return now.equals(stored) ? stored : now + " (recorded as " + stored + ")";
  }

  private void printEntries(PrintWriter out) {
    long total = 0;
    for (PlanJarContents.Entry e : jar.entries()) {
      total += Math.max(0, e.size());
    }
    field(
        out,
        "entries",
        jar.entries().size()
            + (jar.entries().size() == 1 ? " file, " : " files, ")
            + total
            + " bytes uncompressed"
            + (jar.unlistedEntries() > 0 ? "; " + jar.unlistedEntries() + " more not listed" : ""));
    for (PlanJarContents.Entry e : jar.entries()) {
      out.printf(
          "  %12s  %s%n",
          e.size() < 0 ? "too large" : Long.toString(e.size()), TerminalText.line(e.name()));
    }
  }

  private void printSources(PrintWriter out) {
    List<SourceFile> inJar = jar == null ? List.of() : jar.sources();
    List<PlanJarContents.Withheld> withheld = jar == null ? List.of() : jar.withheldSources();
    if (inJar.isEmpty() && sent.isEmpty() && withheld.isEmpty()) {
      field(out, "sources", "none (no .java entry in the JAR, none sent with the request)");
      return;
    }
    field(out, "sources", inJar.size() + " in the JAR, " + sent.size() + " sent with the request");
    CAVEAT.forEach(line -> field(out, "", line));
    for (PlanJarContents.Withheld w : withheld) {
      field(out, "", "not shown: " + TerminalText.line(w.name()) + " (" + w.reason() + ")");
    }
    for (SourceFile f : inJar) {
      source(out, f, "in the JAR");
    }
    for (SourceFile f : sent) {
      source(out, f, "sent with the request");
    }
  }

  private static void source(PrintWriter out, SourceFile f, String origin) {
    out.println();
    out.printf("=== %s (%s, %d bytes) ===%n", TerminalText.line(f.path()), origin, f.utf8Bytes());
    String text = TerminalText.block(f.text());
    out.print(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out.println();
    }
  }

  private static void field(PrintWriter out, String label, String value) {
    out.printf("%-12s%s%n", label, value);
  }
}
