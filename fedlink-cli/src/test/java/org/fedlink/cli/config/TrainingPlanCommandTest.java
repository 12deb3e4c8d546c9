package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.plans.PlanStatus;
import org.fedlink.supernode.plans.PlanStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedlink supernode --config F training-plan ...} on the node's database. */
class TrainingPlanCommandTest {
  static final String HASH = "ab12cd34ef56" + "0".repeat(52);

  @TempDir Path root;
  FedlinkConfig node;

  @BeforeEach
  void createNodeWithAPendingPlan() throws Exception {
    Cli.run(
        "configuration",
        "create",
        "--component",
        "supernode",
        "--name",
        "n.ini",
        "--root",
        root.toString());
    node = FedlinkConfig.load(root.resolve("etc/n.ini"));
    Path jar = Files.writeString(root.resolve("plan.jar"), "stand-in");
    try (SqliteDatabase db = NodeDatabase.openFile(node.path(ConfigKeys.DB))) {
      new PlanStore(db)
          .request(HASH, "SHA256", "plan.jar", "demo.Plan", "RESEARCHER_1", jar, "f".repeat(64));
    }
  }

  private Cli.Result plans(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "supernode";
    all[1] = "--config";
    all[2] = node.file().toString();
    all[3] = "training-plan";
    System.arraycopy(args, 0, all, 4, args.length);
    return Cli.run(all);
  }

  private PlanStatus status() {
    try (SqliteDatabase db = NodeDatabase.openFile(node.path(ConfigKeys.DB))) {
      return new PlanStore(db).get("1").status();
    }
  }

  @Test
  void listsAndViewsPlans() {
    Cli.Result list = plans("list");
    Cli.Result view = plans("view", "ab12cd");

    assertThat(list.out()).contains("ab12cd34ef56").contains("Pending").contains("RESEARCHER_1");
    assertThat(view.exit()).isZero();
    assertThat(view.out()).contains(HASH).contains("demo.Plan").contains("plan.jar");
  }

  @Test
  void approvesAndRejectsWithNotes() {
    Cli.Result approve = plans("approve", "1", "--notes", "reviewed");
    PlanStatus approved = status();
    Cli.Result reject = plans("reject", "1");

    assertThat(approve.out()).contains("is now Approved");
    assertThat(approved).isEqualTo(PlanStatus.APPROVED);
    assertThat(reject.out()).contains("is now Rejected");
    assertThat(status()).isEqualTo(PlanStatus.REJECTED);
    assertThat(plans("view", "1").out()).contains("reviewed");
  }

  @Test
  void datasetCommandsUseTheDatabaseOfTheConfiguration() throws Exception {
    Path csv = Files.writeString(root.resolve("d.csv"), "1.0,2.0,0\n3.0,4.0,1\n");

    Cli.Result add =
        Cli.run(
            "supernode",
            "--config",
            node.file().toString(),
            "dataset",
            "add",
            "--name",
            "d",
            "--tags",
            "t",
            "--path",
            csv.toString());

    assertThat(add.exit()).as(add.err()).isZero();
    try (SqliteDatabase db = NodeDatabase.openFile(node.path(ConfigKeys.DB))) {
      assertThat(new org.fedlink.supernode.datasets.DatasetRegistry(db).list()).hasSize(1);
    }
  }

  @Test
  void deletesAPlanAndReportsUnknownIds() {
    assertThat(plans("delete", "1").exit()).isZero();

    Cli.Result missing = plans("view", "1");

    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no training plan 1").contains("training-plan list");
  }
}
