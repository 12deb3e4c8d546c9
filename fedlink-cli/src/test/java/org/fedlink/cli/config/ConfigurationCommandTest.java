package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedlink configuration create|show|refresh} on real files. */
class ConfigurationCommandTest {
  @TempDir Path root;

  private Cli.Result create(String component, String name) {
    return Cli.run(
        "configuration",
        "create",
        "--component",
        component,
        "--name",
        name,
        "--root",
        root.toString());
  }

  private static List<String> tables(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type='table'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void createsConfigurationDatabaseAndCertificateOfEachComponent() throws Exception {
    Cli.Result node = create("supernode", "config-n1.ini");
    Cli.Result researcher = create("researcher", "config-r.ini");
    Cli.Result link = create("superlink", "config-l.ini");

    assertThat(node.exit()).isZero();
    assertThat(node.out())
        .contains("created supernode NODE_")
        .contains("MPC endpoint   localhost:14000");
    assertThat(researcher.out()).contains("localhost:14001");
    FedlinkConfig n = FedlinkConfig.load(root.resolve("etc/config-n1.ini"));
    assertThat(tables(n.path(ConfigKeys.DB))).contains("party", "training_plan", "dataset");
    FedlinkConfig r = FedlinkConfig.load(root.resolve("etc/config-r.ini"));
    assertThat(tables(r.path(ConfigKeys.DB))).contains("party");
    FedlinkConfig l = FedlinkConfig.load(root.resolve("etc/config-l.ini"));
    assertThat(tables(l.path(ConfigKeys.DB))).contains("node", "task");
    assertThat(Files.getPosixFilePermissions(n.path(ConfigKeys.MPC_PRIVATE_KEY)))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.readString(n.path(ConfigKeys.MPC_PUBLIC_KEY)))
        .startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void refusesASecondResearcherAndAnExistingName() {
    create("researcher", "r1.ini");

    Cli.Result second = create("researcher", "r2.ini");
    Cli.Result again = create("researcher", "r1.ini");

    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err()).contains("only one researcher per workspace");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already exists").contains("--force");
  }

  @Test
  void refusesAnUnknownComponent() {
    Cli.Result r = create("aggregator", "a.ini");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("aggregator").contains("supernode, researcher, superlink");
  }

  @Test
  void showsEffectiveValuesWithTheirSource() {
    create("supernode", "n.ini");

    Cli.Result r =
        Cli.run("configuration", "show", "--config", root.resolve("etc/n.ini").toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).containsPattern("mpc\\.port\\s+= 14000\\s+\\(FILE\\)");
    assertThat(r.out()).containsPattern("superlink\\.root_certificates\\s+=\\s+\\(UNSET\\)");
    assertThat(r.out()).doesNotContain("ssl_keyfile");
  }

  @Test
  void refreshKeepsValuesAndWritesABackup() throws Exception {
    create("supernode", "n.ini");
    Path file = root.resolve("etc/n.ini");
    String id = FedlinkConfig.load(file).id();

    Cli.Result r = Cli.run("configuration", "refresh", "--config", file.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("backup");
    assertThat(FedlinkConfig.load(file).id()).isEqualTo(id);
    try (var files = Files.list(root.resolve("etc"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("n.ini.bak-"));
    }
  }
}
