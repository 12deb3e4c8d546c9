package org.fedlink.supernode.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.ml.plan.PlanSources;
import org.fedlink.supernode.NodeDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanStoreTest {
  static final String H1 = "aa11" + "0".repeat(60);
  static final String H2 = "aa22" + "0".repeat(60);

  @TempDir Path dir;

  private TrainingPlanRecord request(PlanStore s, String hash, String alg) {
    return s.request(hash, alg, "p.jar", "demo.P", "RESEARCHER_1", dir.resolve("p.jar"), "f");
  }

  @Test
  void newPlanIsPendingAndAskingAgainKeepsTheDecision() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      TrainingPlanRecord p = request(s, H1, "SHA256");
      assertThat(p.status()).isEqualTo(PlanStatus.PENDING);

      s.setStatus(p.hash(), PlanStatus.REJECTED, "no");
      TrainingPlanRecord again = request(s, H1, "SHA256");

      assertThat(again.status()).isEqualTo(PlanStatus.REJECTED);
      assertThat(again.notes()).isEqualTo("no");
      assertThat(s.list()).hasSize(1);
    }
  }

  @Test
  void sameHashUnderAnotherAlgorithmIsAnotherPlan() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      s.setStatus(request(s, H1, "SHA256").hash(), PlanStatus.APPROVED, null);
      request(s, H1, "SHA3_256");

      assertThat(s.find(H1, "SHA3_256"))
          .map(TrainingPlanRecord::status)
          .contains(PlanStatus.PENDING);
      assertThat(s.find(H1, "SHA256"))
          .map(TrainingPlanRecord::status)
          .contains(PlanStatus.APPROVED);
    }
  }

  @Test
  void aHashPrefixOfSixDigitsOrMoreNamesAPlanInAnyCase() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      request(s, H1, "SHA256");
      request(s, H2, "SHA256");

      assertThat(s.get("aa2200").hash()).isEqualTo(H2);
      assertThat(s.get(" AA1100 ").hash()).isEqualTo(H1);
      assertThat(s.get(H1).hash()).isEqualTo(H1);
    }
  }

  @Test
  void anAmbiguousPrefixIsRefusedListingTheCandidates() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      String h3 = "aa1100" + "1".repeat(58);
      request(s, H1, "SHA256");
      s.request(h3, "SHA256", "third.jar", "demo.R", "R3", dir.resolve("r.jar"), "f");

      assertThatThrownBy(() -> s.setStatus("aaaaaa", PlanStatus.APPROVED, null))
          .hasMessageContaining("no training plan with a hash starting aaaaaa");

      assertThatThrownBy(() -> s.get("aa1100"))
          .isInstanceOf(FedlinkException.class)
          .hasMessageContaining("training plan prefix aa1100 matches 2 plans")
          .hasMessageContaining("aa1100000000 (SHA256, p.jar)")
          .hasMessageContaining("aa1100111111 (SHA256, third.jar)")
          .hasMessageContaining("give more digits");
      assertThat(s.get("aa11001").hash()).isEqualTo(h3);
    }
  }

  @Test
  void shortOrNonHexReferencesAndOldNumericIdsAreRefused() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      request(s, H1, "SHA256");

      for (String ref : new String[] {"aa", "aa11z0", "1", "", "%a%a%a"}) {
        assertThatThrownBy(() -> s.get(ref))
            .as(ref)
            .isInstanceOf(FedlinkException.class)
            .hasMessageContaining("is not a hash prefix; give at least 6 hex digits");
      }
    }
  }

  @Test
  void keepsTheSourcesAndResearcherKeySentWithTheFirstRequest() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      PlanSources sent =
          PlanSources.of(Map.of("demo/P.java", "class P {}\n", "demo/Q.java", "class Q {}\n"));
      TrainingPlanRecord p =
          s.request(
              H1, "SHA256", "p.jar", "demo.P", "R1", "SHA256:abc", dir.resolve("p.jar"), "f", sent);
      s.request(
          H1,
          "SHA256",
          "p.jar",
          "demo.P",
          "R2",
          "SHA256:other",
          dir.resolve("p.jar"),
          "f",
          PlanSources.of(Map.of("demo/Evil.java", "swapped")));

      TrainingPlanRecord stored = s.get("aa1100");
      assertThat(stored.researcherId()).isEqualTo("R1");
      assertThat(stored.researcherKey()).isEqualTo("SHA256:abc");
      assertThat(s.sources(stored)).isEqualTo(sent.files());
      assertThat(s.sources(request(s, H2, "SHA256"))).isEmpty();

      s.delete(p.hash());
      assertThat(s.sources(p)).isEmpty();
    }
  }

  @Test
  void upgradesAVersionFourNodeDatabaseKeepingItsPlans() throws Exception {
    Path file = dir.resolve("v4.sqlite");
    String url = "jdbc:sqlite:" + file;
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/supernode")
        .target("4")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement()
          .execute(
              "INSERT INTO training_plan (hash, algorithm, name, class_name, status, researcher_id,"
                  + " notes, jar_path, jar_sha256, created_ms, updated_ms) VALUES ('"
                  + H1
                  + "', 'SHA256', 'old.jar', 'demo.Old', 'Approved', 'R', 'fine', '/x.jar', 'f',"
                  + " 1, 2)");
    }

    try (SqliteDatabase db = NodeDatabase.openFile(file)) {
      PlanStore s = new PlanStore(db);
      TrainingPlanRecord old = s.get("aa1100");
      assertThat(old.status()).isEqualTo(PlanStatus.APPROVED);
      assertThat(old.notes()).isEqualTo("fine");
      assertThat(old.researcherKey()).isNull();
      assertThat(s.sources(old)).isEmpty();
    }
  }

  @Test
  void upgradesAVersionOneNodeDatabaseKeepingItsData() throws Exception {
    Path file = dir.resolve("old.sqlite");
    String url = "jdbc:sqlite:" + file;
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/supernode")
        .target("1")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement()
          .execute("INSERT INTO node_property (name, value) VALUES ('identity', x'01')");
    }

    try (SqliteDatabase db = NodeDatabase.openFile(file)) {
      request(new PlanStore(db), H1, "SHA256");
      assertThat(NodeDatabase.identityToken(db)).containsExactly(1);
    }
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM party")) {
      assertThat(rs.getInt(1)).isZero();
    }
  }
}
