package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.plans.PlanStatus;
import org.fedlink.supernode.plans.PlanStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedlink supernode --config F training-plan ...} on the node's database. */
class TrainingPlanCommandTest {
  static final String HASH = "ab12cd34ef56" + "0".repeat(52);
  static final String SOURCE = "package demo;\npublic class Plan { /* from the JAR */ }\n";
  static final String HOSTILE = "demo/\u001b[2J\u001b[1;1Hevil\r\u202eclass.txt";

  @TempDir Path root;
  FedlinkConfig node;
  Path jar;

  /** A JAR naming demo.Plan, with its class, its source and an entry with a hostile name. */
  static Path planJar(Path file) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().putValue("Fedlink-Training-Plan", "demo.Plan");
    try (OutputStream os = Files.newOutputStream(file);
        JarOutputStream out = new JarOutputStream(os, m)) {
      for (Map.Entry<String, byte[]> e :
          Map.of(
                  "demo/Plan.class",
                  new byte[321],
                  "demo/Plan.java",
                  SOURCE.getBytes(StandardCharsets.UTF_8),
                  HOSTILE,
                  new byte[7])
              .entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return file;
  }

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
    jar = planJar(root.resolve("plan.jar"));
    try (SqliteDatabase db = NodeDatabase.openFile(node.path(ConfigKeys.DB))) {
      new PlanStore(db)
          .request(
              HASH,
              "SHA256",
              "plan.jar",
              "demo.Plan",
              "RESEARCHER_1",
              "SHA256:researcherKeyPrint",
              jar,
              "f".repeat(64),
              PlanSources.of(Map.of("demo/Plan.java", "// as sent\nclass Plan {}\n")));
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
      return new PlanStore(db).get(HASH).status();
    }
  }

  private void addPlan(String hash, String name) {
    try (SqliteDatabase db = NodeDatabase.openFile(node.path(ConfigKeys.DB))) {
      new PlanStore(db).request(hash, "SHA256", name, "x.Y", null, jar, "e".repeat(64));
    }
  }

  @Test
  void listShowsShortHashesNotNumbers() {
    Cli.Result list = plans("list");

    assertThat(list.out().lines())
        .containsExactly(
            "HASH          ALG       STATUS    NAME                          RESEARCHER",
            "ab12cd34ef56  SHA256    Pending   plan.jar                      RESEARCHER_1");
  }

  @Test
  void viewShowsEveryField() throws Exception {
    Cli.Result view = plans("view", "AB12CD");

    assertThat(view.exit()).as(view.err()).isZero();
    assertThat(view.out())
        .contains("hash        " + HASH + " (SHA256)\n")
        .contains("status      Pending\n")
        .contains("name        plan.jar\n")
        .contains("class       demo.Plan\n")
        .contains("researcher  RESEARCHER_1 (as the request states)\n")
        .contains("key         SHA256:researcherKeyPrint (authenticated by the SuperLink)\n")
        .contains("notes       -\n")
        .containsPattern("received    20\\d\\d-\\d\\d-\\d\\dT")
        .containsPattern("updated     20\\d\\d-\\d\\d-\\d\\dT")
        .contains("jar         " + jar.toAbsolutePath() + "\n")
        .contains("jar sha256  " + "f".repeat(64) + "\n")
        .contains("jar size    " + Files.size(jar) + " bytes\n")
        .contains("entries     4 files, ")
        .containsPattern(" +\\d+  META-INF/MANIFEST.MF\n")
        .contains("         321  demo/Plan.class\n")
        .contains("           " + SOURCE.length() + "  demo/Plan.java\n")
        .contains("sources     1 in the JAR, 1 sent with the request\n")
        .contains("informational only: what runs is the JAR's class files, identified by the hash")
        .contains("never these sources; nothing checks that the sources match the class files\n")
        .contains("=== demo/Plan.java (in the JAR, " + SOURCE.length() + " bytes) ===\n" + SOURCE)
        .contains(
            "=== demo/Plan.java (sent with the request, 25 bytes) ===\n"
                + "// as sent\nclass Plan {}\n");
  }

  @Test
  void hostileEntryNamesAreEscaped() {
    Cli.Result view = plans("view", "ab12cd34");

    assertThat(view.out())
        .doesNotContain("\u001b", "\r", "\u202e")
        .contains("           7  demo/\\x1b[2J\\x1b[1;1Hevil\\x0d<U+202E>class.txt\n");
  }

  @Test
  void aPlanWithoutSourcesOrAKeySaysSo() {
    addPlan("cc" + "0".repeat(62), "bare.jar");

    Cli.Result view = plans("view", "cc0000");

    assertThat(view.out())
        .contains("researcher  - (as the request states)\n")
        .contains("key         - (the SuperLink did not authenticate the researcher)\n")
        .contains("sources     1 in the JAR, 0 sent with the request\n");
  }

  @Test
  void aMissingJarIsReportedAndTheRecordStillShown() throws Exception {
    Files.delete(jar);

    Cli.Result view = plans("view", "ab12cd");

    assertThat(view.exit()).isZero();
    assertThat(view.out())
        .contains("status      Pending\n")
        .contains("entries     cannot be read: training plan JAR")
        .contains("=== demo/Plan.java (sent with the request, 25 bytes) ===");
  }

  @Test
  void approvesAndRejectsByHashPrefixWithNotes() {
    Cli.Result approve = plans("approve", "ab12cd", "--notes", "reviewed");
    PlanStatus approved = status();
    Cli.Result reject = plans("reject", HASH);

    assertThat(approve.out()).isEqualTo("training plan ab12cd34ef56 (plan.jar) is now Approved\n");
    assertThat(approved).isEqualTo(PlanStatus.APPROVED);
    assertThat(reject.out()).contains("is now Rejected");
    assertThat(status()).isEqualTo(PlanStatus.REJECTED);
    assertThat(plans("view", "ab12cd").out()).contains("notes       reviewed\n");
  }

  @Test
  void anAmbiguousPrefixIsRefusedListingTheCandidates() {
    addPlan("ab12cd99" + "0".repeat(56), "other\u001b[31m.jar");

    Cli.Result view = plans("approve", "ab12cd");

    assertThat(view.exit()).isEqualTo(1);
    assertThat(view.err())
        .contains("training plan prefix ab12cd matches 2 plans")
        .contains("ab12cd34ef56 (SHA256, plan.jar)")
        .contains("ab12cd990000 (SHA256, other\\x1b[31m.jar)")
        .contains("give more digits")
        .doesNotContain("\u001b");
    assertThat(plans("view", "ab12cd3").exit()).isZero();
  }

  @Test
  void numericIdsAndShortPrefixesAreRefused() {
    Cli.Result byNumber = plans("view", "1");
    Cli.Result tooShort = plans("delete", "ab12");

    assertThat(byNumber.exit()).isEqualTo(1);
    assertThat(byNumber.err()).contains("'1' is not a hash prefix; give at least 6 hex digits");
    assertThat(tooShort.exit()).isEqualTo(1);
    assertThat(status()).isEqualTo(PlanStatus.PENDING);
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
  void deletesAPlanAndReportsUnknownHashes() {
    Cli.Result delete = plans("delete", "ab12cd");

    Cli.Result missing = plans("view", "ab12cd");

    assertThat(delete.out()).isEqualTo("training plan ab12cd34ef56 (plan.jar) deleted\n");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .contains("no training plan with a hash starting ab12cd")
        .contains("training-plan list");
  }
}
