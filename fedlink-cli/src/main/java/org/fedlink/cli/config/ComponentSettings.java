package org.fedlink.cli.config;

import java.util.Optional;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.superlink.SuperLink;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.plans.PlanPolicy;

/**
 * What a configuration sets on a server builder beyond the options {@link ConfigOption#fill} fills:
 * the database file ({@code [default] db}) and, for a node, its training-plan policy ({@code
 * [security]}). Without a configuration nothing changes. Stateless.
 */
public final class ComponentSettings {
  private ComponentSettings() {}

  /** Node database from {@code [default] db}, plan policy from {@code [security]}. */
  public static SuperNode.Builder apply(Optional<FedlinkConfig> config, SuperNode.Builder b) {
    config.ifPresent(c -> b.database(c.path(ConfigKeys.DB)).planPolicy(PlanPolicy.of(c)));
    return b;
  }

  /** SuperLink state database from {@code [default] db}. */
  public static SuperLink.Builder apply(Optional<FedlinkConfig> config, SuperLink.Builder b) {
    config.ifPresent(c -> b.database(c.path(ConfigKeys.DB)));
    return b;
  }
}
