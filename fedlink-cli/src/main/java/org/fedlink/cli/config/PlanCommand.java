package org.fedlink.cli.config;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedlink.cli.ClientOptions;
import org.fedlink.cli.Clients;
import org.fedlink.core.TerminalText;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.researcher.ApprovalAnswer;
import org.fedlink.researcher.ControlConnection;
import org.fedlink.researcher.PlanApproval;
import org.fedlink.researcher.PlanJar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedlink plan request-approval PLAN.jar [--sources DIR] --config R.ini}. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Researchers' training plans.",
    subcommands = {PlanCommand.RequestApproval.class})
public final class PlanCommand {

  /** {@code fedlink plan request-approval}. */
  @Command(
      name = "request-approval",
      mixinStandardHelpOptions = true,
      description = {
        "Send a training-plan JAR to every online node for approval.",
        "Each records it as Pending under its own hash (unless it knows it) and answers with",
        "its status there."
      })
  public static final class RequestApproval implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN.jar", description = "The plan JAR.")
    Path jar;

    @Mixin ConfigOption config = new ConfigOption();

    @Option(
        names = "--sources",
        paramLabel = "DIR",
        description = {
          "Send the .java files under DIR with the plan, for the nodes' admins to read (at most",
          "1 MiB in all, UTF-8). Informational: nodes run the JAR's hashed class files."
        })
    Path sources;

    @Mixin ClientOptions client = new ClientOptions();

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "60",
        description = "How long to wait for the nodes' answers (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FedlinkConfig c = config.require(Component.RESEARCHER);
      config.fill(c);
      PlanJar plan = PlanJar.read(jar);
      PlanSources files = sources == null ? PlanSources.none() : PlanSources.read(sources);
      PrintWriter out = spec.commandLine().getOut();
      if (!files.isEmpty()) {
        out.printf(
            "sending %d source file%s (%d bytes) with %s%n",
            files.files().size(),
            files.files().size() == 1 ? "" : "s",
            files.totalBytes(),
            plan.name());
      }
      Clients.requireTlsChoice(client);
      List<ApprovalAnswer> answers;
      try (ControlConnection control =
          new ControlConnection(
              client.endpoint(),
              client.rootCertificates(),
              Clients.authentication(client),
              Duration.ofSeconds(30))) {
        answers =
            PlanApproval.request(control, plan, files, c.id(), Duration.ofSeconds(timeoutSeconds));
      }
      boolean allReceived = true;
      for (ApprovalAnswer a : answers) {
        out.println((a.received() ? "" : "failed: ") + TerminalText.line(a.message()));
        allReceived &= a.received();
      }
      out.flush();
      return allReceived ? 0 : 1;
    }
  }
}
