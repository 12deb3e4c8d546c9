package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRefresherTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);

  @TempDir Path root;

  Path write(String text) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    return Files.writeString(root.resolve("etc/config-n1.ini"), text);
  }

  @Test
  void backsUpAndRewritesKeepingValuesThatStillExist() throws Exception {
    String original =
        "# my notes\n"
            + "[default]\nid = NODE_7\ncomponent = supernode\ndb = var/db_NODE_7.sqlite\n"
            + "[mpc]\nprivate_key = k.key\npublic_key = k.pem\nport = 14004\nip = 10.1.1.1\n"
            + "old_key = whatever\n"
            + "[security]\nhashing_algorithm = SHA512\nsecure_aggregation = False\n"
            + "[gone]\nx = 1\n";
    Path file = write(original);

    RefreshResult result = ConfigRefresher.refresh(file, CLOCK);

    Path backup = root.resolve("etc/config-n1.ini.bak-20260304050607");
    assertThat(result.backup()).isEqualTo(backup);
    assertThat(Files.readString(backup)).isEqualTo(original);
    assertThat(result.fromVersion()).isZero();
    assertThat(result.toVersion()).isEqualTo(ConfigKeys.CURRENT_VERSION);
    assertThat(result.dropped()).containsExactly("mpc.old_key", "gone.x");
    FedlinkConfig config = FedlinkConfig.load(file, Component.SUPERNODE, Map.of());
    assertThat(config.version()).isEqualTo(1);
    assertThat(config.id()).isEqualTo("NODE_7");
    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14004);
    assertThat(config.get(ConfigKeys.MPC_IP)).isEqualTo("10.1.1.1");
    assertThat(config.get(ConfigKeys.HASHING_ALGORITHM)).isEqualTo("SHA512");
    assertThat(config.get(ConfigKeys.SECURE_AGGREGATION)).isFalse();
    assertThat(Files.readString(file))
        .contains("# Fedlink supernode configuration, layout version 1");
  }

  @Test
  void secondRefreshInTheSameSecondKeepsBothBackups() throws Exception {
    Path file = write(FedlinkConfigTest.NODE);

    RefreshResult first = ConfigRefresher.refresh(file, CLOCK);
    RefreshResult second = ConfigRefresher.refresh(file, CLOCK);

    assertThat(first.backup().getFileName().toString())
        .isEqualTo("config-n1.ini.bak-20260304050607");
    assertThat(second.backup().getFileName().toString())
        .isEqualTo("config-n1.ini.bak-20260304050607-1");
    assertThat(Files.readString(first.backup())).isEqualTo(FedlinkConfigTest.NODE);
    assertThat(second.fromVersion()).isEqualTo(1);
  }

  @Test
  void refusesNewerVersionAndChangesNothing() throws Exception {
    Path file = write(FedlinkConfigTest.NODE.replace("version = 1", "version = 3"));

    assertThatThrownBy(() -> FedlinkConfig.refresh(file))
        .isInstanceOf(FedlinkException.class)
        .hasMessage(
            "config-n1.ini: [default] version = 3 is newer than this Fedlink understands (version 1);"
                + " it cannot be refreshed, use a newer Fedlink")
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
    assertThat(Files.readString(file)).contains("version = 3");
    try (var files = Files.list(root.resolve("etc"))) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void refusesFileWithoutComponent() throws Exception {
    Path file = write("[default]\nid = X\n");

    assertThatThrownBy(() -> FedlinkConfig.refresh(file))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("[default] component =")
        .hasMessageContaining("supernode, researcher, superlink");
  }
}
