package org.fedlink.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad configuration stops every start command before it does anything, with one clear error
 * naming the key and exit code 1.
 */
class ConfigValidationCliTest {
  @TempDir Path root;
  Path node;
  Path researcher;
  Path link;

  @BeforeEach
  void createComponents() {
    assertThat(create("supernode", "n1.ini").exit()).isZero();
    assertThat(create("researcher", "r.ini").exit()).isZero();
    assertThat(create("superlink", "l.ini").exit()).isZero();
    node = root.resolve("etc/n1.ini");
    researcher = root.resolve("etc/r.ini");
    link = root.resolve("etc/l.ini");
  }

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

  private static void replace(Path file, String from, String to) throws Exception {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  private static String line(Path file, String prefix) throws Exception {
    return Files.readAllLines(file).stream()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  private static void assertRefused(Cli.Result r, String... fragments) {
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: ");
    assertThat(r.err()).doesNotContain("\tat ");
    assertThat(r.err().strip().lines()).as("one error, no stack trace").hasSize(1);
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void missingRequiredKeyIsRefusedAtNodeStart() throws Exception {
    replace(node, line(node, "id ="), "");

    assertRefused(Cli.run("supernode", "--config", node.toString(), "start"), "id");
  }

  @Test
  void wrongTypeIsRefusedAtNodeStart() throws Exception {
    replace(node, line(node, "insecure ="), "insecure = perhaps");

    assertRefused(
        Cli.run("supernode", "start", "--config", node.toString()), "insecure", "perhaps");
  }

  @Test
  void unknownHashingAlgorithmIsRefused() throws Exception {
    replace(node, line(node, "hashing_algorithm ="), "hashing_algorithm = MD5");

    assertRefused(
        Cli.run("supernode", "--config", node.toString(), "start"),
        "hashing_algorithm",
        "MD5",
        "SHA256");
  }

  @Test
  void portOutOfRangeIsRefused() throws Exception {
    replace(node, line(node, "port ="), "port = 70000");

    assertRefused(
        Cli.run("supernode", "--config", node.toString(), "start"), "port", "70000", "65535");
  }

  @Test
  void researcherConfigurationIsValidatedByRun() throws Exception {
    replace(researcher, line(researcher, "port ="), "port = 0");

    assertRefused(Cli.run("run", "--config", researcher.toString(), "--tags", "x"), "port", "0");
  }

  @Test
  void superlinkConfigurationIsValidatedByStart() throws Exception {
    replace(link, line(link, "heartbeat_interval_ms ="), "heartbeat_interval_ms = fast");

    assertRefused(
        Cli.run("superlink", "--config", link.toString(), "start"), "heartbeat_interval_ms");
  }

  @Test
  void aFreshSuperlinkConfigurationMadeInsecureIsAccepted() throws Exception {
    replace(link, line(link, "insecure ="), "insecure = True");

    FedlinkConfig config =
        FedlinkConfig.load(link, org.fedlink.core.config.Component.SUPERLINK, Map.of());

    assertThat(config.get(ConfigKeys.INSECURE)).isTrue();
    assertThat(config.get(ConfigKeys.TIMESTAMP_WINDOW_S)).isEqualTo(60);
  }

  @Test
  void anInsecureSuperlinkWithAChosenAuthenticationSettingIsRefused() throws Exception {
    replace(link, line(link, "insecure ="), "insecure = True");
    replace(link, line(link, "timestamp_window_s ="), "timestamp_window_s = 30");

    assertThatThrownBy(
            () -> FedlinkConfig.load(link, org.fedlink.core.config.Component.SUPERLINK, Map.of()))
        .hasMessageContaining("insecure = True contradicts [auth] timestamp_window_s");
  }

  @Test
  void fileOfAnotherComponentIsRefused() {
    assertRefused(Cli.run("supernode", "--config", researcher.toString(), "start"), "researcher");
  }

  @Test
  void missingFileIsRefused() {
    assertRefused(
        Cli.run("supernode", "--config", root.resolve("etc/none.ini").toString(), "start"),
        "none.ini");
  }
}
