package org.fedlink.cli.config;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.supernode.NodeDatabase;
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
 * admin's decisions on researchers' training plans, in the node's database. A running node sees a
 * decision at its next task.
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

    void print(TrainingPlanRecord p) {
      PrintWriter out = out();
      out.printf("id            %d%n", p.id());
      out.printf("hash          %s (%s)%n", p.hash(), p.algorithm());
      out.printf("name          %s%n", p.name());
      out.printf("class         %s%n", p.className());
      out.printf("status        %s%n", p.status().display());
      out.printf("researcher    %s%n", p.researcherId() == null ? "-" : p.researcherId());
      out.printf("notes         %s%n", p.notes() == null ? "-" : p.notes());
      out.printf("jar           %s%n", p.jar());
      out.printf("received      %s%n", Instant.ofEpochMilli(p.createdMs()));
      out.printf("updated       %s%n", Instant.ofEpochMilli(p.updatedMs()));
      out.flush();
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
        out.printf(
            "%-4s %-14s %-9s %-9s %-28s %s%n", "ID", "HASH", "ALG", "STATUS", "NAME", "RESEARCHER");
        for (TrainingPlanRecord p : plans) {
          out.printf(
              "%-4d %-14s %-9s %-9s %-28s %s%n",
              p.id(),
              p.shortHash(),
              p.algorithm(),
              p.status().display(),
              p.name(),
              p.researcherId() == null ? "-" : p.researcherId());
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code training-plan view}. */
  @Command(name = "view", mixinStandardHelpOptions = true, description = "Show one plan.")
  public static final class View extends Base {
    @Parameters(paramLabel = "ID", description = "Plan id or hash prefix (6+ hex digits).")
    String ref;

    @Override
    public Integer call() {
      print(withStore(s -> s.get(ref)));
      return 0;
    }
  }

  /** Approve and reject share everything but the status. */
  abstract static class Decide extends Base {
    @Parameters(paramLabel = "ID", description = "Plan id or hash prefix (6+ hex digits).")
    String ref;

    @Option(names = "--notes", paramLabel = "TEXT", description = "Why; kept with the plan.")
    String notes;

    abstract PlanStatus status();

    @Override
    public Integer call() {
      TrainingPlanRecord p = withStore(s -> s.setStatus(ref, status(), notes));
      out()
          .printf(
              "training plan %d (%s, %s) is now %s%n",
              p.id(), p.shortHash(), p.name(), p.status().display());
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
    @Parameters(paramLabel = "ID", description = "Plan id or hash prefix (6+ hex digits).")
    String ref;

    @Override
    public Integer call() {
      TrainingPlanRecord p = withStore(s -> s.delete(ref));
      out().printf("training plan %d (%s, %s) deleted%n", p.id(), p.shortHash(), p.name());
      out().flush();
      return 0;
    }
  }
}
