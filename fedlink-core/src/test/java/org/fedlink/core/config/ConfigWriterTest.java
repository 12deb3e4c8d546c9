package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConfigWriterTest {
  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(Component.class)
  void writesAFileThatLoadsBackWithTheSameValues(Component component) throws Exception {
    Map<ConfigKey<?>, String> values = new LinkedHashMap<>();
    values.put(ConfigKeys.ID, component.newId());
    values.put(ConfigKeys.COMPONENT, component.configName());
    values.put(ConfigKeys.VERSION, "1");
    values.put(ConfigKeys.DB, "var/db.sqlite");
    values.put(ConfigKeys.MPC_PRIVATE_KEY, "etc/certs/k.key");
    values.put(ConfigKeys.MPC_PUBLIC_KEY, "etc/certs/k.pem");
    values.put(ConfigKeys.MPC_PORT, "14003");
    Path file = root.resolve("etc/c.ini");

    ConfigWriter.write(file, component, values);

    FedlinkConfig config = FedlinkConfig.load(file, component, Map.of());
    assertThat(config.id()).isEqualTo(values.get(ConfigKeys.ID));
    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14003);
    for (ConfigEntry row : config.describe()) {
      assertThat(row.source()).as(row.name()).isNotEqualTo(ValueSource.DEFAULT);
    }
  }

  @Test
  void documentsEveryKeyAndCommentsOutUnsetOnes() throws Exception {
    String text =
        ConfigWriter.render(
            Component.SUPERNODE, Map.of(ConfigKeys.ID, "NODE_1", ConfigKeys.MPC_PORT, "14000"));

    assertThat(text)
        .contains("\n[default]\n# Unique id of this component")
        .contains("\nid = NODE_1\n")
        .contains("\nport = 14000\n")
        .contains("\nhashing_algorithm = SHA256\n")
        .contains("\nallow_default_training_plans = True\n")
        .contains("\n# supernode_private_key =\n")
        .contains("FEDLINK_<SECTION>_<KEY>")
        .doesNotContain("list_public_keys")
        .doesNotContain("ssl_keyfile");
    assertThat(text.lines()).allMatch(line -> line.length() <= 100);
    assertThat(text.indexOf("[default]")).isLessThan(text.indexOf("[superlink]"));
    assertThat(text.indexOf("[mpc]")).isLessThan(text.indexOf("[security]"));
  }

  @Test
  void superlinkFileHasNoSecuritySection() {
    String text = ConfigWriter.render(Component.SUPERLINK, Map.of());

    assertThat(text).contains("[auth]").contains("list_public_keys").doesNotContain("[security]");
  }

  @Test
  void writesAtomicallyLeavingNoTemporaryFile() throws Exception {
    Path file = root.resolve("c.ini");

    ConfigWriter.write(file, Component.RESEARCHER, Map.of(ConfigKeys.ID, "RESEARCHER_1"));

    try (var files = Files.list(root)) {
      assertThat(files).containsExactly(file);
    }
  }
}
