package org.fedlink.testing.plans;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.fedlink.cli.Main;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.crypto.digest.HashingAlgorithm;
import org.fedlink.ml.plan.PlanHash;
import org.fedlink.supernode.plans.PlanPolicy;
import org.fedlink.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The researcher sends a plan with {@code fedlink plan request-approval --sources}, over loopback
 * TLS to an in-process node that keeps its database at the path of a node configuration; the admin
 * then reads it with {@code fedlink supernode --config F training-plan view HASH-PREFIX}.
 */
class PlanSourcesCliTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Result cli(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void sourcesSentWithTheRequestAreShownByView() throws Exception {
    Path root = dir.resolve("home");
    for (String[] c : new String[][] {{"supernode", "n.ini"}, {"researcher", "r.ini"}}) {
      Result created =
          cli(
              "configuration",
              "create",
              "--component",
              c[0],
              "--name",
              c[1],
              "--root",
              root.toString());
      assertThat(created.exit()).as(created.err()).isZero();
    }
    Path nodeIni = root.resolve("etc/n.ini");
    Path nodeDb = FedlinkConfig.load(nodeIni).path(ConfigKeys.DB);
    Path jar = PlanJars.build(dir, "Sourced");
    String hash = PlanHash.of(jar, HashingAlgorithm.SHA256);
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("demo/plans"));
    Files.writeString(
        src.resolve("demo/plans/Sourced.java"),
        "package demo.plans;\n// reviewed by nobody yet \u202e\npublic final class Sourced {}\n");

    try (TestFederation federation =
        TestFederation.builder(dir)
            .nodes(1)
            .nodeSettings(
                (i, node) ->
                    node.database(nodeDb)
                        .planPolicy(new PlanPolicy(false, true, HashingAlgorithm.SHA256)))
            .start()) {
      federation.awaitOnline(1, Duration.ofSeconds(30));

      Result sent =
          cli(
              "plan",
              "request-approval",
              jar.toString(),
              "--sources",
              src.toString(),
              "--config",
              root.resolve("etc/r.ini").toString(),
              "--superlink",
              federation.endpoint().toString(),
              "--root-certificates",
              federation.caFile().toString());

      assertThat(sent.exit()).as(sent.err()).isZero();
      assertThat(sent.out())
          .contains("sending 1 source file (")
          .contains(
              "training plan "
                  + hash.substring(0, 12)
                  + " (Sourced.jar) is Pending on node "
                  + federation.node(0).nodeId());

      Result view =
          cli(
              "supernode",
              "--config",
              nodeIni.toString(),
              "training-plan",
              "view",
              hash.substring(0, 8));

      assertThat(view.exit()).as(view.err()).isZero();
      assertThat(view.out())
          .contains("hash        " + hash + " (SHA256)")
          .contains("class       demo.plans.Sourced")
          .contains("researcher  " + FedlinkConfig.load(root.resolve("etc/r.ini")).id())
          .contains("entries     2 files")
          .contains("  demo/plans/Sourced.class\n")
          .contains("sources     0 in the JAR, 1 sent with the request")
          .contains(
              "=== demo/plans/Sourced.java (sent with the request, 80 bytes) ===\n"
                  + "package demo.plans;\n// reviewed by nobody yet <U+202E>\n"
                  + "public final class Sourced {}\n");
    }
  }
}
