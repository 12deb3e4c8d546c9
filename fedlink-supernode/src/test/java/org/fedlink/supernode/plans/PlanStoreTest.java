package org.fedlink.supernode.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.store.SqliteDatabase;
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

      s.setStatus(Long.toString(p.id()), PlanStatus.REJECTED, "no");
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
      s.setStatus(Long.toString(request(s, H1, "SHA256").id()), PlanStatus.APPROVED, null);
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
  void ambiguousOrUnknownReferencesAreRefused() {
    try (SqliteDatabase db = NodeDatabase.openFile(dir.resolve("n.sqlite"))) {
      PlanStore s = new PlanStore(db);
      request(s, H1, "SHA256");
      request(s, H2, "SHA256");

      assertThat(s.get("aa2200").hash()).isEqualTo(H2);
      assertThatThrownBy(() -> s.get("aa")).isInstanceOf(FedlinkException.class);
      assertThatThrownBy(() -> s.get("9")).hasMessageContaining("no training plan 9");
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
