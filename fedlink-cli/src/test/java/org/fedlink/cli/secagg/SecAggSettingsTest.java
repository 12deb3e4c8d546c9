package org.fedlink.cli.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.fedlink.cli.Main;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.crypto.x509.PemFiles;
import org.fedlink.supernode.secagg.DirectTransportSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct transport's settings as a node's configuration and environment give them. */
class SecAggSettingsTest {
  @TempDir Path root;
  Path file;

  @BeforeEach
  void createNode() {
    int exit =
        Main.commandLine()
            .execute(
                "configuration",
                "create",
                "--component",
                "supernode",
                "--name",
                "n1.ini",
                "--root",
                root.toString());
    assertThat(exit).isZero();
    file = root.resolve("etc/n1.ini");
  }

  @Test
  void directTransportListensOnTheEnvironmentsIpAndPortWithTheNodesCertificate() throws Exception {
    FedlinkConfig c =
        FedlinkConfig.load(
            file,
            Component.SUPERNODE,
            Map.of(
                "FEDLINK_MPC_TRANSPORT", "direct",
                "FEDLINK_MPC_IP", "127.0.0.2",
                "FEDLINK_MPC_PORT", "14099"));
    DirectTransportSettings d = SecAggSettings.direct(c);
    assertThat(d.host()).isEqualTo("127.0.0.2");
    assertThat(d.port()).isEqualTo(14099);
    assertThat(d.certificate())
        .isEqualTo(PemFiles.readCertificate(c.path(ConfigKeys.MPC_PUBLIC_KEY)));
  }

  @Test
  void directTransportUsesTheFilesIpAndPortWithoutOverrides() {
    FedlinkConfig c =
        FedlinkConfig.load(file, Component.SUPERNODE, Map.of("FEDLINK_MPC_TRANSPORT", "direct"));
    DirectTransportSettings d = SecAggSettings.direct(c);
    assertThat(d.host()).isEqualTo(c.get(ConfigKeys.MPC_IP));
    assertThat(d.port()).isEqualTo(c.get(ConfigKeys.MPC_PORT)).isGreaterThanOrEqualTo(14000);
  }

  @Test
  void relayTransportNeedsNoEndpoint() {
    FedlinkConfig c = FedlinkConfig.load(file, Component.SUPERNODE, Map.of());
    assertThat(c.get(ConfigKeys.MPC_TRANSPORT)).isEqualTo("relay");
    assertThat(SecAggSettings.direct(c)).isNull();
  }
}
