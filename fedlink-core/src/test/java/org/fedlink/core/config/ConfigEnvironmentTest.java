package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigEnvironmentTest {
  @TempDir Path root;

  Path node() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    return Files.writeString(root.resolve("etc/config-n1.ini"), FedlinkConfigTest.NODE);
  }

  @Test
  void namesEnvironmentVariablesAfterSectionAndKey() {
    assertThat(ConfigKeys.MPC_IP.envVar()).isEqualTo("FEDLINK_MPC_IP");
    assertThat(ConfigKeys.MPC_PORT.envVar()).isEqualTo("FEDLINK_MPC_PORT");
    assertThat(ConfigKeys.SSL_CA_CERTFILE.envVar()).isEqualTo("FEDLINK_SUPERLINK_SSL_CA_CERTFILE");
    assertThat(ConfigKeys.ID.envVar()).isEqualTo("FEDLINK_DEFAULT_ID");
  }

  @Test
  void environmentOverridesFileWithoutRewritingIt() throws Exception {
    Path file = node();
    String before = Files.readString(file);

    FedlinkConfig config =
        FedlinkConfig.load(
            file,
            Component.SUPERNODE,
            Map.of("FEDLINK_MPC_IP", "10.0.0.5", "FEDLINK_MPC_PORT", "14099"));

    assertThat(config.get(ConfigKeys.MPC_IP)).isEqualTo("10.0.0.5");
    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14099);
    assertThat(config.source(ConfigKeys.MPC_IP)).isEqualTo(ValueSource.ENV);
    assertThat(config.source(ConfigKeys.MPC_PORT)).isEqualTo(ValueSource.ENV);
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void precedenceIsEnvironmentThenFileThenDefault() throws Exception {
    FedlinkConfig config =
        FedlinkConfig.load(
            node(),
            Component.SUPERNODE,
            Map.of(
                "FEDLINK_SECURITY_HASHING_ALGORITHM", "SHA512",
                "FEDLINK_MPC_TRANSPORT", "direct"));

    Map<String, ConfigEntry> rows =
        config.describe().stream()
            .collect(Collectors.toMap(ConfigEntry::name, Function.identity()));
    assertThat(rows.get("security.hashing_algorithm"))
        .isEqualTo(new ConfigEntry(ConfigKeys.HASHING_ALGORITHM, "SHA512", ValueSource.ENV));
    assertThat(rows.get("mpc.transport"))
        .isEqualTo(new ConfigEntry(ConfigKeys.MPC_TRANSPORT, "direct", ValueSource.ENV));
    assertThat(rows.get("mpc.port"))
        .isEqualTo(new ConfigEntry(ConfigKeys.MPC_PORT, "14000", ValueSource.FILE));
    assertThat(rows.get("mpc.ip"))
        .isEqualTo(new ConfigEntry(ConfigKeys.MPC_IP, "localhost", ValueSource.DEFAULT));
    assertThat(rows.get("auth.supernode_private_key"))
        .isEqualTo(new ConfigEntry(ConfigKeys.SUPERNODE_PRIVATE_KEY, "", ValueSource.UNSET));
    assertThat(rows).doesNotContainKey("auth.list_public_keys"); // read by the SuperLink only
  }

  @Test
  void environmentCanSetAKeyMissingFromTheFile() throws Exception {
    Path file = node();
    Files.writeString(file, FedlinkConfigTest.NODE.replace("port = 14000\n", ""));

    FedlinkConfig config =
        FedlinkConfig.load(file, Component.SUPERNODE, Map.of("FEDLINK_MPC_PORT", "14007"));

    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14007);
  }

  @Test
  void invalidEnvironmentValueNamesTheVariable() throws Exception {
    Path file = node();

    assertThatThrownBy(
            () ->
                FedlinkConfig.load(file, Component.SUPERNODE, Map.of("FEDLINK_MPC_PORT", "70000")))
        .isInstanceOf(FedlinkException.class)
        .hasMessage(
            "config-n1.ini: [mpc] port = 70000 (from FEDLINK_MPC_PORT) is out of range; use 1..65535");
  }

  @Test
  void blankEnvironmentVariableIsIgnored() throws Exception {
    FedlinkConfig config =
        FedlinkConfig.load(node(), Component.SUPERNODE, Map.of("FEDLINK_MPC_PORT", "  "));

    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14000);
    assertThat(config.source(ConfigKeys.MPC_PORT)).isEqualTo(ValueSource.FILE);
  }

  @Test
  void writeKeepsFileValuesNotEnvironmentOverrides() throws Exception {
    FedlinkConfig config =
        FedlinkConfig.load(node(), Component.SUPERNODE, Map.of("FEDLINK_MPC_PORT", "14099"));
    Path copy = root.resolve("etc/copy.ini");

    config.write(copy);

    FedlinkConfig reloaded = FedlinkConfig.load(copy, Component.SUPERNODE, Map.of());
    assertThat(reloaded.get(ConfigKeys.MPC_PORT)).isEqualTo(14000);
    assertThat(reloaded.get(ConfigKeys.HASHING_ALGORITHM)).isEqualTo("SHA3_256");
    assertThat(reloaded.id()).isEqualTo("NODE_1");
  }

  @Test
  void masksSecretValuesInDescriptionsAndErrors() throws Exception {
    ConfigKey<String> token =
        ConfigKey.builder("auth", "token", ConfigType.STRING)
            .validator(
                v ->
                    v.length() < 8
                        ? java.util.Optional.of("is too short")
                        : java.util.Optional.empty())
            .doc("A secret.")
            .secret()
            .readBy(Component.SUPERNODE)
            .build();
    List<ConfigKey<?>> schema = new ArrayList<>(ConfigKeys.ALL);
    schema.add(token);
    Path file = node();
    Files.writeString(file, FedlinkConfigTest.NODE + "[auth]\ntoken = hunter2-long\n");

    FedlinkConfig config = FedlinkConfig.load(file, Component.SUPERNODE, Map.of(), schema);

    assertThat(config.get(token)).isEqualTo("hunter2-long");
    assertThat(config.describe())
        .contains(new ConfigEntry(token, ConfigEntry.MASK, ValueSource.FILE))
        .noneMatch(row -> row.value().contains("hunter2"));
    Files.writeString(file, FedlinkConfigTest.NODE + "[auth]\ntoken = hunter2\n");
    assertThatThrownBy(() -> FedlinkConfig.load(file, Component.SUPERNODE, Map.of(), schema))
        .hasMessage("config-n1.ini: [auth] token = **** is too short")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }
}
