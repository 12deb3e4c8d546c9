package org.fedlink.cli.config;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.fedlink.core.TerminalText;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.plans.PlanDetails;
import org.fedlink.supernode.plans.PlanStatus;
import org.fedlink.supernode.plans.PlanStore;
import org.fedlink.supernode.plans.TrainingPlanRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink supernode --config F training-plan list|view|approve|reject|delete}: the node
 * admin's decisions on researchers' training plans, in the node's database. A plan is named by its
 * hash or a unique prefix of it. A running node sees a decision at its next task. Everything a
 * researcher chose (names, ids, JAR entries, sources) is printed through {@link TerminalText}.
 */
@Command(
    name = "training-plan",
    mixinStandardHelpOptions = true,
    description = "List, inspect, approve, reject and delete researchers' training plans.",
    subcommands = {
      TrainingPlanCommand.ListPlans.class,
      TrainingPlanCommand.View.class,
      TrainingPlanCommand.Approve.class,
      TrainingPlanCommand.Reject.class,
      TrainingPlanCommand.Delete.class
    })
public final class TrainingPlanCommand {
  static final String HASH_HELP =
      "The plan's hash, or a unique prefix of it (6+ hex digits), as 'training-plan list' shows.";

  /** Configuration and output every subcommand shares. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ConfigOption config = new ConfigOption();

    <T> T withStore(Function<PlanStore, T> work) {
      FedlinkConfig c = config.require(Component.SUPERNODE);
      try (SqliteDatabase db = NodeDatabase.openFile(c.path(ConfigKeys.DB))) {
        return work.apply(new PlanStore(db));
      }
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** A plan's name as one safe line. */
    static String name(TrainingPlanRecord p) {
      return TerminalText.line(p.name());
    }
  }

  /** {@code training-plan list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List training plans.")
  public static final class ListPlans extends Base {
    @Override
    public Integer call() {
      List<TrainingPlanRecord> plans = withStore(PlanStore::list);
      PrintWriter out = out();
      if (plans.isEmpty()) {
        out.println(
            "no training plan received yet; researchers send them with"
                + " `fedlink plan request-approval`");
      } else {
        out.printf("%-12s  %-8s  %-8s  %-28s  %s%n", "HASH", "ALG", "STATUS", "NAME", "RESEARCHER");
        for (TrainingPlanRecord p : plans) {
          out.printf(
              "%-12s  %-8s  %-8s  %-28s  %s%n",
              p.shortHash(),
              p.algorithm(),
              p.status().display(),
              name(p),
              TerminalText.line(p.researcherId()));
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code training-plan view}. */
  @Command(
      name = "view",
      mixinStandardHelpOptions = true,
      description = {
        "Show one plan: hash, status, who asked, the JAR's entries and plan class, and its",
        "source files (those in the JAR and those sent with the request)."
      })
  public static final class View extends Base {
    @Parameters(paramLabel = "HASH", description = HASH_HELP)
    String ref;

    @Override
    public Integer call() {
      // The JAR is read within the store's scope: the same code as the console's plan page.
      new PlanView(withStore(s -> PlanDetails.load(s, ref))).print(out());
      out().flush();
      return 0;
    }
  }

  /** Approve and reject share everything but the status. */
  abstract static class Decide extends Base {
    @Parameters(paramLabel = "HASH", description = HASH_HELP)
    String ref;

    @Option(names = "--notes", paramLabel = "TEXT", description = "Why; kept with the plan.")
    String notes;

    abstract PlanStatus status();

    @Override
    public Integer call() {
      TrainingPlanRecord p = withStore(s -> s.setStatus(ref, status(), notes));
      out()
          .printf(
              "training plan %s (%s) is now %s%n", p.shortHash(), name(p), p.status().display());
      out().flush();
      return 0;
    }
  }

  /** {@code training-plan approve}. */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a plan.")
  public static final class Approve extends Decide {
    @Override
    PlanStatus status() {
      return PlanStatus.APPROVED;
    }
  }

  /** {@code training-plan reject}. */
  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a plan.")
  public static final class Reject extends Decide {
    @Override
    PlanStatus status() {
      return PlanStatus.REJECTED;
    }
  }

  /** {@code training-plan delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Forget a plan (a researcher may then request approval again).")
  public static final class Delete extends Base {
    @Parameters(paramLabel = "HASH", description = HASH_HELP)
    String ref;

    @Override
    public Integer call() {
      TrainingPlanRecord p = withStore(s -> s.delete(ref));
      out().printf("training plan %s (%s) deleted%n", p.shortHash(), name(p));
      out().flush();
      return 0;
    }
  }
}
