package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheFilesOfARunForVirtualNodes() throws Exception {
    Path out = dir.resolve("out");
    int code =
        Main.commandLine()
            .execute(
                "simulate",
                "--nodes",
                "20",
                "--dataset",
                "breast-cancer",
                "--partition",
                "shards:2",
                "--fraction",
                "0.5",
                "--rounds",
                "2",
                "--no-progress",
                "--output",
                out.toString());
    assertThat(code).isZero();
    List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
    assertThat(csv).hasSize(3); // header and two rounds
    assertThat(out.resolve("model.flp")).exists();
    assertThat(out.resolve("metrics.png")).exists();
  }

  @Test
  void aBadPartitionIsOneLineAndExitCodeOne() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code =
        cl.execute("simulate", "--partition", "dirichlet:", "--output", dir.toString() + "/o");
    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString().strip())
        .isEqualTo(
            "error: --partition 'dirichlet:' is invalid (a value is missing after ':'): use iid,"
                + " dirichlet:ALPHA, shards:K or column:INDEX")
        .doesNotContain("\n");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void secAggPlusWithItsParametersAsARealRunTakesThem() throws Exception {
    Path out = dir.resolve("secure");
    int code =
        Main.commandLine()
            .execute(
                "simulate",
                "--nodes",
                "12",
                "--fraction",
                "0.5",
                "--rounds",
                "2",
                "--secagg",
                "secagg+",
                "--num-shares",
                "3",
                "--reconstruction-threshold",
                "2",
                "--dropout-rate",
                "0.2",
                "--no-progress",
                "--output",
                out.toString());
    assertThat(code).isZero();
    assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(3);
  }

  @Test
  void anUnknownSchemeIsOneLineNamingTheSchemes() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("simulate", "--secagg", "paillier", "--output", dir + "/o");
    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString().strip())
        .isEqualTo("error: --secagg paillier is unknown; supported: joye-libert, lom, secagg+");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void virtualNodesApplyThePolicyOfANodeConfiguration() throws Exception {
    Path ini =
        Files.writeString(
            dir.resolve("node.ini"),
            "[default]\nid = NODE_1\ncomponent = supernode\nversion = 1\n"
                + "db = var/db_NODE_1.sqlite\n\n[superlink]\naddress = localhost:9092\n\n"
                + "[mpc]\nprivate_key = etc/certs/MPC_certificate.key\n"
                + "public_key = etc/certs/MPC_certificate.pem\nport = 14000\n\n"
                + "[security]\nsecure_aggregation = True\nforce_secure_aggregation = True\n");
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    String[] plain = {
      "simulate", "--nodes", "4", "--rounds", "1", "--no-progress", "--node-config", ini.toString()
    };
    int code = cl.execute(concat(plain, "--output", dir + "/plain"));
    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString()).contains("secure aggregation required by node");
    code = cl.execute(concat(plain, "--secagg", "lom", "--output", dir + "/lom"));
    assertThat(code).isZero();
  }

  @Test
  void resumingNeedsTheWorkFolderOfTheInterruptedSimulation() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("simulate", "--resume", "r-1", "--output", dir + "/o");
    assertThat(code).isEqualTo(Main.EXIT_FAILURE);
    assertThat(err.toString().strip())
        .startsWith("error: --resume r-1 needs the --work-dir of the interrupted simulation")
        .doesNotContain("\n");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
