package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FedlinkConfigTest {
  static final String NODE =
      "[default]\n"
          + "id = NODE_1\n"
          + "component = supernode\n"
          + "version = 1\n"
          + "db = var/db_NODE_1.sqlite\n"
          + "\n"
          + "[superlink]\n"
          + "address = link.example.org:9092\n"
          + "root_certificates = etc/ca.pem\n"
          + "\n"
          + "[mpc]\n"
          + "private_key = etc/certs/cert_NODE_1/MPC_certificate.key\n"
          + "public_key = etc/certs/cert_NODE_1/MPC_certificate.pem\n"
          + "port = 14000\n"
          + "\n"
          + "[security]\n"
          + "hashing_algorithm = SHA3_256\n"
          + "training_plan_approval = True\n"
          + "secure_aggregation = true\n";

  @TempDir Path root;

  Path write(String text) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    return Files.writeString(root.resolve("etc/config-n1.ini"), text);
  }

  AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String text) throws Exception {
    Path file = write(text);
    return assertThatThrownBy(() -> FedlinkConfig.load(file, Component.SUPERNODE, Map.of()))
        .isInstanceOf(FedlinkException.class)
        .satisfies(
            e -> assertThat(((FedlinkException) e).code()).isEqualTo(ErrorCode.CONFIGURATION));
  }

  @Test
  void loadsTypedValuesAndDefaults() throws Exception {
    FedlinkConfig config = FedlinkConfig.load(write(NODE), Component.SUPERNODE, Map.of());

    assertThat(config.component()).isEqualTo(Component.SUPERNODE);
    assertThat(config.id()).isEqualTo("NODE_1");
    assertThat(config.version()).isEqualTo(1);
    assertThat(config.root()).isEqualTo(root.toAbsolutePath().normalize());
    assertThat(config.get(ConfigKeys.SUPERLINK_ADDRESS))
        .isEqualTo(new HostPort("link.example.org", 9092));
    assertThat(config.path(ConfigKeys.DB)).isEqualTo(config.root().resolve("var/db_NODE_1.sqlite"));
    assertThat(config.get(ConfigKeys.MPC_PORT)).isEqualTo(14000);
    assertThat(config.get(ConfigKeys.MPC_IP)).isEqualTo("localhost");
    assertThat(config.get(ConfigKeys.HASHING_ALGORITHM)).isEqualTo("SHA3_256");
    assertThat(config.get(ConfigKeys.TRAINING_PLAN_APPROVAL)).isTrue();
    assertThat(config.get(ConfigKeys.SECURE_AGGREGATION)).isTrue();
    assertThat(config.get(ConfigKeys.FORCE_SECURE_AGGREGATION)).isFalse();
    assertThat(config.get(ConfigKeys.ALLOW_DEFAULT_TRAINING_PLANS)).isTrue();
    assertThat(config.get(ConfigKeys.MPC_TRANSPORT)).isEqualTo("relay");
    assertThat(config.get(ConfigKeys.MIN_BIPRIME_BITS)).isEqualTo(1024);
    assertThat(config.get(ConfigKeys.INSECURE)).isFalse();
    assertThat(config.source(ConfigKeys.MPC_PORT)).isEqualTo(ValueSource.FILE);
    assertThat(config.source(ConfigKeys.MPC_IP)).isEqualTo(ValueSource.DEFAULT);
    assertThat(config.source(ConfigKeys.SUPERNODE_PRIVATE_KEY)).isEqualTo(ValueSource.UNSET);
    assertThat(config.find(ConfigKeys.SUPERNODE_PRIVATE_KEY)).isEmpty();
    assertThatThrownBy(() -> config.get(ConfigKeys.SUPERNODE_PRIVATE_KEY))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("[auth] supernode_private_key is not set")
        .hasMessageContaining("FEDLINK_AUTH_SUPERNODE_PRIVATE_KEY");
  }

  @Test
  void takesTheComponentFromTheFileWhenNoneIsExpected() throws Exception {
    assertThat(FedlinkConfig.load(write(NODE), null, Map.of()).component())
        .isEqualTo(Component.SUPERNODE);
  }

  @Test
  void acceptsEveryBooleanSpelling() throws Exception {
    for (String spelling : new String[] {"True", "true", "False", "false"}) {
      FedlinkConfig config =
          FedlinkConfig.load(
              write(NODE + "force_secure_aggregation = " + spelling + "\n"),
              Component.SUPERNODE,
              Map.of());
      assertThat(config.get(ConfigKeys.FORCE_SECURE_AGGREGATION))
          .isEqualTo(spelling.equalsIgnoreCase("true"));
    }
  }

  @Test
  void acceptsHashingAlgorithmInLowerCaseAsItsCanonicalName() throws Exception {
    FedlinkConfig config =
        FedlinkConfig.load(
            write(NODE.replace("SHA3_256", "blake2b")), Component.SUPERNODE, Map.of());

    assertThat(config.get(ConfigKeys.HASHING_ALGORITHM)).isEqualTo("BLAKE2B");
  }

  @Test
  void rejectsUnknownHashingAlgorithm() throws Exception {
    assertRefused(NODE.replace("SHA3_256", "MD5"))
        .hasMessage(
            "config-n1.ini: [security] hashing_algorithm = MD5 is not allowed; use one of SHA256,"
                + " SHA384, SHA512, SHA3_256, SHA3_384, SHA3_512, BLAKE2B, BLAKE2S");
  }

  @Test
  void rejectsPortOutOfRangeOrNotANumber() throws Exception {
    assertRefused(NODE.replace("port = 14000", "port = 70000"))
        .hasMessage("config-n1.ini: [mpc] port = 70000 is out of range; use 1..65535");
    assertRefused(NODE.replace("port = 14000", "port = 0"))
        .hasMessage("config-n1.ini: [mpc] port = 0 is out of range; use 1..65535");
    assertRefused(NODE.replace("port = 14000", "port = fourteen"))
        .hasMessage("config-n1.ini: [mpc] port = fourteen is not an integer; use a whole number");
  }

  @Test
  void rejectsBadBoolean() throws Exception {
    assertRefused(NODE.replace("secure_aggregation = true", "secure_aggregation = yes"))
        .hasMessage(
            "config-n1.ini: [security] secure_aggregation = yes is not a boolean; use True or False");
  }

  @Test
  void rejectsBadAddressAndId() throws Exception {
    assertRefused(NODE.replace("link.example.org:9092", "link.example.org"))
        .hasMessageStartingWith(
            "config-n1.ini: [superlink] address = link.example.org is not host:port");
    assertRefused(NODE.replace("link.example.org:9092", "link:99999"))
        .hasMessageContaining(
            "[superlink] address = link:99999 has port 99999 out of range; use 1..65535");
    assertRefused(NODE.replace("id = NODE_1", "id = NODE 1"))
        .hasMessageContaining("[default] id = NODE 1 is not a usable id");
  }

  @Test
  void rejectsMissingRequiredKeyNamingTheComponent() throws Exception {
    assertRefused(NODE.replace("port = 14000\n", ""))
        .hasMessageStartingWith("config-n1.ini: [mpc] port is missing; a supernode needs it:")
        .hasMessageEndingWith("Set it in the file or in FEDLINK_MPC_PORT.");
  }

  @Test
  void mpcPortIsOptionalForTheSuperlink() throws Exception {
    String link =
        "[default]\nid = SUPERLINK_1\ncomponent = superlink\nversion = 1\ndb = var/db.sqlite\n";

    FedlinkConfig config = FedlinkConfig.load(write(link), Component.SUPERLINK, Map.of());

    assertThat(config.find(ConfigKeys.MPC_PORT)).isEmpty();
    assertThat(config.get(ConfigKeys.TIMESTAMP_WINDOW_S)).isEqualTo(60);
  }

  @Test
  void rejectsUnknownOrUnexpectedComponent() throws Exception {
    assertRefused(NODE.replace("component = supernode", "component = aggregator"))
        .hasMessage(
            "config-n1.ini: [default] component = aggregator is not allowed; use one of supernode,"
                + " researcher, superlink");
    Path file = write(NODE.replace("component = supernode", "component = researcher"));
    assertThatThrownBy(() -> FedlinkConfig.load(file, Component.SUPERNODE, Map.of()))
        .hasMessageContaining(
            "[default] component = researcher, but a supernode configuration is needed here");
    assertRefused(NODE.replace("component = supernode\n", ""))
        .hasMessageContaining("[default] component is missing");
  }

  @Test
  void rejectsNewerVersionWithOnlyThatProblem() throws Exception {
    assertRefused(NODE.replace("version = 1", "version = 2") + "[future]\nthing = 1\n")
        .hasMessage(
            "config-n1.ini: [default] version = 2 is newer than this Fedlink understands (version 1);"
                + " upgrade Fedlink or use a file written by this version");
  }

  @Test
  void rejectsMissingOrZeroVersionPointingToRefresh() throws Exception {
    assertRefused(NODE.replace("version = 1\n", ""))
        .hasMessageContaining("[default] version is missing")
        .hasMessageContaining("configuration refresh");
    assertRefused(NODE.replace("version = 1", "version = 0"))
        .hasMessageContaining("[default] version = 0 is not a layout version; use 1..1");
  }

  @Test
  void rejectsUnknownKeysAndSections() throws Exception {
    assertRefused(NODE.replace("port = 14000", "port = 14000\nprot = 14001"))
        .hasMessage(
            "config-n1.ini: [mpc] prot is not a known key; known keys in [mpc] are private_key,"
                + " public_key, ip, port, allow_default_biprimes, transport, min_biprime_bits");
    assertRefused(NODE + "[researcher]\nid = 1\n")
        .hasMessageContaining(
            "[researcher] is not a known section; use default, superlink, auth, mpc, security");
  }

  @Test
  void rejectsForcedSecureAggregationWhenDisabled() throws Exception {
    assertRefused(
            NODE.replace("secure_aggregation = true", "secure_aggregation = False")
                + "force_secure_aggregation = True\n")
        .hasMessageContaining(
            "force_secure_aggregation = True contradicts secure_aggregation = False");
  }

  @Test
  void rejectsInsecureTogetherWithNodeAuthentication() throws Exception {
    assertRefused(
            NODE.replace("root_certificates = etc/ca.pem", "insecure = True")
                + "[auth]\nsupernode_private_key = etc/node_key\n")
        .hasMessage(
            "config-n1.ini: [superlink] insecure = True contradicts [auth] supernode_private_key"
                + " (node authentication requires TLS); set insecure = False or remove the [auth] keys");
    Path plain = write(NODE.replace("root_certificates = etc/ca.pem", "insecure = True"));
    assertThat(FedlinkConfig.load(plain, Component.SUPERNODE, Map.of()).get(ConfigKeys.INSECURE))
        .isTrue();
  }

  @Test
  void reportsEveryProblemAtOnceOnePerLine() throws Exception {
    assertRefused(
            NODE.replace("SHA3_256", "MD5")
                .replace("port = 14000", "port = -1")
                .replace("db = var/db_NODE_1.sqlite\n", ""))
        .satisfies(
            e ->
                assertThat(e.getMessage().split("\n"))
                    .hasSize(3)
                    .allMatch(line -> line.startsWith("config-n1.ini: [")));
  }

  @Test
  void rejectsMissingOrMalformedFile() throws Exception {
    assertThatThrownBy(() -> FedlinkConfig.load(root.resolve("nope.ini"), null, Map.of()))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("cannot read configuration file")
        .hasMessageContaining("nope.ini");
    assertRefused("port 14000\n").hasMessageContaining("config-n1.ini: line 1");
  }

  @Test
  void acceptsBlankValueAsUnsetForOptionalKeys() throws Exception {
    FedlinkConfig config =
        FedlinkConfig.load(write(NODE.replace("etc/ca.pem", "")), Component.SUPERNODE, Map.of());

    assertThat(config.findPath(ConfigKeys.ROOT_CERTIFICATES)).isEmpty();
  }
}
