package org.fedlink.cli.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.core.config.Component;
import org.fedlink.core.config.ConfigKey;
import org.fedlink.core.config.ConfigKeys;
import org.fedlink.core.config.FedlinkConfig;
import org.fedlink.core.config.ValueSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code --config FILE} option, mixed into a command (and, so that {@code fedlink supernode
 * --config F start} works too, into its parent). {@link #fill} loads the file once, validated for
 * the command's component, and copies each value set in the file or the environment into the
 * command's own option of the same meaning, unless that option was given on the command line:
 * explicit flags win, then {@code FEDLINK_<SECTION>_<KEY>}, then the file; a key left at its
 * default fills only an option that has no value of its own.
 *
 * <p>Not thread-safe (picocli fills it on one thread).
 */
public final class ConfigOption {
  /** Option name to the configuration key it stands for. */
  private static final Map<String, ConfigKey<?>> OPTIONS =
      Map.ofEntries(
          Map.entry("--superlink", ConfigKeys.SUPERLINK_ADDRESS),
          Map.entry("--address", ConfigKeys.SUPERLINK_ADDRESS),
          Map.entry("--root-certificates", ConfigKeys.ROOT_CERTIFICATES),
          Map.entry("--insecure", ConfigKeys.INSECURE),
          Map.entry("--ssl-ca-certfile", ConfigKeys.SSL_CA_CERTFILE),
          Map.entry("--ssl-certfile", ConfigKeys.SSL_CERTFILE),
          Map.entry("--ssl-keyfile", ConfigKeys.SSL_KEYFILE),
          Map.entry("--heartbeat-interval", ConfigKeys.HEARTBEAT_INTERVAL_MS),
          Map.entry("--run-idle-timeout", ConfigKeys.RUN_IDLE_TIMEOUT_S),
          Map.entry("--auth-supernode-private-key", ConfigKeys.SUPERNODE_PRIVATE_KEY),
          Map.entry("--auth-supernode-public-key", ConfigKeys.SUPERNODE_PUBLIC_KEY),
          Map.entry("--auth-superlink-private-key", ConfigKeys.SUPERLINK_PRIVATE_KEY),
          Map.entry("--auth-superlink-public-key", ConfigKeys.SUPERLINK_PUBLIC_KEY),
          Map.entry("--auth-list-public-keys", ConfigKeys.LIST_PUBLIC_KEYS),
          Map.entry("--auth-researcher-private-key", ConfigKeys.RESEARCHER_PRIVATE_KEY),
          Map.entry("--auth-researcher-public-key", ConfigKeys.RESEARCHER_PUBLIC_KEY),
          Map.entry("--auth-list-researcher-public-keys", ConfigKeys.LIST_RESEARCHER_PUBLIC_KEYS),
          Map.entry("--auth-timestamp-window", ConfigKeys.TIMESTAMP_WINDOW_S),
          Map.entry("--allow-anonymous-control", ConfigKeys.ALLOW_ANONYMOUS_CONTROL),
          Map.entry("--max-blob-mb", ConfigKeys.MAX_BLOB_MB),
          Map.entry("--max-run-blob-mb", ConfigKeys.MAX_RUN_BLOB_MB),
          Map.entry("--max-uploads-per-node", ConfigKeys.MAX_UPLOADS_PER_NODE),
          Map.entry("--max-envelope-kb", ConfigKeys.MAX_ENVELOPE_KB),
          Map.entry("--max-envelopes-per-run", ConfigKeys.MAX_ENVELOPES_PER_RUN),
          Map.entry("--metrics-address", ConfigKeys.SUPERLINK_METRICS_ADDRESS),
          Map.entry("--connection-timeout", ConfigKeys.SUPERNODE_CONNECTION_TIMEOUT_S));

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (see `fedlink configuration create`); flags override it.")
  Path file;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The {@code --config} given to this command or to one of its parents, if any. */
  public Optional<Path> path() {
    return find(mixee);
  }

  /**
   * The {@code --config} file, which this command cannot do without.
   *
   * @param purpose what the file is for, e.g. "the file to show"
   * @throws FedlinkException CONFIGURATION if no {@code --config} was given
   */
  public Path requirePath(String purpose) {
    return path()
        .orElseThrow(
            () ->
                new FedlinkException(
                    ErrorCode.CONFIGURATION, "--config FILE is required: " + purpose));
  }

  /** The {@code --config} given to {@code spec} or to one of its parents, if any. */
  public static Optional<Path> find(CommandSpec spec) {
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      OptionSpec o = s.findOption("--config");
      if (o != null && o.getValue() != null) {
        return Optional.of(o.<Path>getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Loads the configuration for {@code component}.
   *
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if no {@code --config} was given or
   *     the file is invalid (every problem listed)
   */
  public FedlinkConfig require(Component component) {
    return load(component)
        .orElseThrow(
            () ->
                new FedlinkException(
                    ErrorCode.CONFIGURATION,
                    "--config FILE is required: the "
                        + component
                        + "'s configuration, e.g. fedlink-home/etc/config-n1.ini (create one with"
                        + " `fedlink configuration create --component "
                        + component
                        + " --name config-n1.ini`)"));
  }

  /** Loads the configuration for {@code component} if {@code --config} was given. */
  public Optional<FedlinkConfig> load(Component component) {
    return path().map(p -> FedlinkConfig.load(p, component));
  }

  /**
   * Loads the configuration if one was given and fills the command's options from it.
   *
   * @return the configuration, or empty without {@code --config}
   * @throws FedlinkException {@link ErrorCode#CONFIGURATION} if the file is invalid
   */
  public Optional<FedlinkConfig> fill(Component component) {
    Optional<FedlinkConfig> config = load(component);
    config.ifPresent(this::fill);
    return config;
  }

  /** Fills the command's options not given on the command line from {@code config}. */
  public void fill(FedlinkConfig config) {
    CommandSpec spec = mixee;
    ParseResult parsed = spec.commandLine().getParseResult();
    for (OptionSpec o : spec.options()) {
      ConfigKey<?> key = OPTIONS.get(o.longestName());
      if (key == null
          || (parsed != null && parsed.hasMatchedOption(o))
          || !key.isReadBy(config.component())) {
        continue;
      }
      ValueSource source = config.source(key);
      boolean set = source == ValueSource.FILE || source == ValueSource.ENV;
      if (!set && !(source == ValueSource.DEFAULT && o.getValue() == null)) {
        continue;
      }
      Object value = config.get(key);
      Class<?> type = o.type();
      if (value instanceof Path && type == Path.class) {
        @SuppressWarnings("unchecked")
        ConfigKey<Path> pathKey = (ConfigKey<Path>) key;
        o.setValue(config.path(pathKey));
      } else if (key == ConfigKeys.HEARTBEAT_INTERVAL_MS
          && (type == double.class || type == Double.class)) {
        o.setValue(((Integer) value) / 1000.0);
      } else if (type == String.class) {
        o.setValue(value.toString());
      } else if ((type == int.class || type == Integer.class) && value instanceof Integer) {
        o.setValue(value);
      } else if ((type == long.class || type == Long.class) && value instanceof Integer i) {
        o.setValue(i.longValue());
      } else if (type == boolean.class || type == Boolean.class) {
        o.setValue(value);
      }
    }
  }
}
