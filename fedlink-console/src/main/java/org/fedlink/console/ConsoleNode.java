package org.fedlink.console;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fedlink.supernode.SuperNode;
import org.fedlink.supernode.datasets.DatasetRegistry;
import org.fedlink.supernode.plans.PlanStore;

/**
 * What the console acts on: the node database's datasets and training plans (the same classes the
 * CLI commands call), the running node if it runs in this process (for its status), and the {@code
 * [security]} settings to show.
 *
 * @param database the node database file (the password file lives beside it)
 * @param node the running node, or null when the console serves a database alone
 * @param security setting name to value, shown read-only
 */
public record ConsoleNode(
    Path database,
    DatasetRegistry datasets,
    PlanStore plans,
    SuperNode node,
    Map<String, String> security) {
  public ConsoleNode {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(datasets, "datasets");
    Objects.requireNonNull(plans, "plans");
    security = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(security));
  }

  /** The console of a running node: its own registries, its security settings. */
  public static ConsoleNode of(Path database, SuperNode node) {
    SuperNode.Settings s = node.settings();
    Map<String, String> security = new LinkedHashMap<>();
    security.put("training_plan_approval", Boolean.toString(s.planPolicy().approvalRequired()));
    security.put(
        "allow_default_training_plans", Boolean.toString(s.planPolicy().allowDefaultPlans()));
    security.put("hashing_algorithm", s.planPolicy().algorithm().name());
    security.put("plan_isolation", s.planIsolation().level().word());
    security.put("plan_max_memory_mb", Integer.toString(s.planIsolation().maxMemoryMb()));
    security.put("plan_timeout_s", Long.toString(s.planIsolation().timeout().toSeconds()));
    return new ConsoleNode(database, node.datasets(), node.plans(), node, security);
  }
}
