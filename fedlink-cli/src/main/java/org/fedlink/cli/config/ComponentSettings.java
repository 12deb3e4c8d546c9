package org.fedlink.cli.config;

import java.nio.file.Path;
import java.util.Optional;
import org.fedlink.cli.secagg.SecAggSettings;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.store.SqliteDatabase;
import org.fedlink.superlink.SuperLink;
import org.fedlink.supernode.NodeDatabase;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.isolation.PlanIsolation;
import org.fedlink.supernode.plans.PlanPolicy;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a configuration sets on a server builder beyond the options {@link ConfigOption#fill} fills:
 * the database file ({@code [default] db}) and, for a node, its training-plan policy and isolation
 * ({@code [security]}). Without a configuration nothing changes. Stateless.
 */
public final class ComponentSettings {
  private ComponentSettings() {}

  /**
   * Node database from {@code [default] db}, plan policy and secure-aggregation policy from {@code
   * [security]}, MPC identity and registered parties from {@code [mpc]} and the database.
   */
  public static SuperNode.Builder apply(Optional<FedlinkConfig> config, SuperNode.Builder b) {
    config.ifPresent(
        c ->
            b.database(c.path(ConfigKeys.DB))
                .componentId(c.id())
                .planPolicy(PlanPolicy.of(c))
                .planIsolation(PlanIsolation.of(c))
                .secureAggregation(
                    SecAggSettings.node(c, NodeDatabase.openFile(c.path(ConfigKeys.DB)))));
    config
        .flatMap(c -> c.find(ConfigKeys.SUPERNODE_METRICS_ADDRESS))
        .ifPresent(a -> b.metricsAddress(new org.fedlink.transport.Endpoint(a.host(), a.port())));
    return b;
  }

  /**
   * The node database of a command: {@code [default] db} of the {@code --config} given to it or a
   * parent command, else {@code <home>/node.sqlite}.
   *
   * @throws org.fedlink.core.FedlinkException if the configuration is invalid or the database
   *     cannot be opened
   */
  public static SqliteDatabase openNode(CommandSpec spec, Path home) {
    Optional<Path> file = ConfigOption.find(spec);
    if (file.isPresent()) {
      FedlinkConfig c = FedlinkConfig.load(file.get(), Component.SUPERNODE);
      return NodeDatabase.openFile(c.path(ConfigKeys.DB));
    }
    return NodeDatabase.open(home);
  }

  /**
   * SuperLink state database from {@code [default] db}, retention of stopped runs from {@code
   * [superlink] retention_days}.
   */
  public static SuperLink.Builder apply(Optional<FedlinkConfig> config, SuperLink.Builder b) {
    config.ifPresent(
        c ->
            b.database(c.path(ConfigKeys.DB))
                .retention(java.time.Duration.ofDays(c.get(ConfigKeys.RETENTION_DAYS))));
    return b;
  }
}
