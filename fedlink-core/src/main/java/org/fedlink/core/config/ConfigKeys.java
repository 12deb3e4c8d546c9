package org.fedlink.core.config;

import static org.fedlink.core.config.Component.RESEARCHER;
import static org.fedlink.core.config.Component.SUPERLINK;
import static org.fedlink.core.config.Component.SUPERNODE;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every configuration key Fedlink knows, as documented constants (the schema of the INI files),
 * listed in {@link #ALL} in the order files are written. Section order: {@code default, superlink,
 * auth, mpc, security}. Each key can be overridden for one process by {@link ConfigKey#envVar()}.
 */
public final class ConfigKeys {
  /** The layout version this Fedlink writes and reads. */
  public static final int CURRENT_VERSION = 1;

  /** The hashing algorithm names of {@code [security] hashing_algorithm}. */
  public static final List<String> HASHING_ALGORITHMS =
      List.of(
          "SHA256", "SHA384", "SHA512", "SHA3_256", "SHA3_384", "SHA3_512", "BLAKE2B", "BLAKE2S");

  /** Sections in file order. */
  public static final List<String> SECTIONS =
      List.of("default", "superlink", "auth", "mpc", "security", "supernode", "gui");

  // [default]

  public static final ConfigKey<String> ID =
      ConfigKey.builder("default", "id", ConfigType.STRING)
          .validator(Validator.identifier())
          .doc("Unique id of this component, e.g. NODE_<uuid>; other parties know it by this id.")
          .requiredBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  public static final ConfigKey<String> COMPONENT =
      ConfigKey.builder(
              "default",
              "component",
              ConfigType.oneOf(List.of("supernode", "researcher", "superlink")))
          .doc("Which component this file configures: supernode, researcher or superlink.")
          .requiredBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  public static final ConfigKey<Integer> VERSION =
      ConfigKey.builder("default", "version", ConfigType.INT)
          .validator(
              v ->
                  v > CURRENT_VERSION
                      ? Optional.of(
                          "is newer than this Fedlink understands (version "
                              + CURRENT_VERSION
                              + "); upgrade Fedlink or use a file written by this version")
                      : v < 1
                          ? Optional.of("is not a layout version; use 1.." + CURRENT_VERSION)
                          : Optional.empty())
          .doc("Layout version of this file. Older files: run 'fedlink configuration refresh'.")
          .requiredBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  public static final ConfigKey<Path> DB =
      ConfigKey.builder("default", "db", ConfigType.PATH)
          .doc("SQLite database of this component, relative to the workspace root.")
          .requiredBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  // [superlink]

  public static final ConfigKey<HostPort> SUPERLINK_ADDRESS =
      ConfigKey.builder("superlink", "address", ConfigType.HOST_PORT)
          .defaultValue(new HostPort("localhost", 9092))
          .doc(
              "SuperLink address: where nodes and the researcher dial, where the SuperLink listens.")
          .readBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  public static final ConfigKey<Path> ROOT_CERTIFICATES =
      ConfigKey.builder("superlink", "root_certificates", ConfigType.PATH)
          .doc("PEM file of the CA certificates that sign the SuperLink's TLS certificate.")
          .readBy(SUPERNODE, RESEARCHER)
          .build();

  public static final ConfigKey<Path> SSL_CA_CERTFILE =
      ConfigKey.builder("superlink", "ssl_ca_certfile", ConfigType.PATH)
          .doc("SuperLink only: PEM file of the CA certificate of its TLS certificate.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Path> SSL_CERTFILE =
      ConfigKey.builder("superlink", "ssl_certfile", ConfigType.PATH)
          .doc("SuperLink only: PEM file of its TLS certificate (chain).")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Path> SSL_KEYFILE =
      ConfigKey.builder("superlink", "ssl_keyfile", ConfigType.PATH)
          .doc("SuperLink only: PEM file of its TLS private key.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Boolean> INSECURE =
      ConfigKey.builder("superlink", "insecure", ConfigType.BOOLEAN)
          .defaultValue(false)
          .doc("True disables TLS (local tests only); refused together with node authentication.")
          .readBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  public static final ConfigKey<Integer> HEARTBEAT_INTERVAL_MS =
      ConfigKey.builder("superlink", "heartbeat_interval_ms", ConfigType.INT)
          .defaultValue(5_000)
          .validator(Validator.range(100, 3_600_000))
          .doc(
              "Milliseconds between node heartbeats; a node silent for three intervals is"
                  + " offline.")
          .readBy(SUPERNODE, SUPERLINK)
          .build();

  public static final ConfigKey<Integer> RUN_IDLE_TIMEOUT_S =
      ConfigKey.builder("superlink", "run_idle_timeout_s", ConfigType.INT)
          .defaultValue(3600)
          .validator(Validator.range(1, 30 * 24 * 3600))
          .doc(
              "Seconds a run may go without a call from its researcher (and without one waiting on"
                  + " its results) before the SuperLink stops it; a researcher resuming the run"
                  + " within this time keeps it.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Integer> RETENTION_DAYS =
      ConfigKey.builder("superlink", "retention_days", ConfigType.INT)
          .defaultValue(7)
          .validator(Validator.range(0, 3650))
          .doc(
              "SuperLink only: days a stopped run's tasks, results, envelopes and blobs are kept"
                  + " before an hourly sweep removes them (0: at the next sweep); open runs are"
                  + " never removed.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Integer> MAX_BLOB_MB =
      ConfigKey.builder("superlink", "max_blob_mb", ConfigType.INT)
          .defaultValue(1024)
          .validator(Validator.range(1, 2047))
          .doc("SuperLink only: largest blob (model or update) one upload may hold, in MiB.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Integer> MAX_RUN_BLOB_MB =
      ConfigKey.builder("superlink", "max_run_blob_mb", ConfigType.INT)
          .defaultValue(16_384)
          .validator(Validator.range(1, 1 << 24))
          .doc(
              "SuperLink only: total MiB of the blobs one run's tasks and results may reference;"
                  + " past it tasks and results of the run are refused.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Integer> MAX_UPLOADS_PER_NODE =
      ConfigKey.builder("superlink", "max_uploads_per_node", ConfigType.INT)
          .defaultValue(4)
          .validator(Validator.range(1, 1024))
          .doc("SuperLink only: uploads one node may have in progress at once.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Integer> MAX_ENVELOPE_KB =
      ConfigKey.builder("superlink", "max_envelope_kb", ConfigType.INT)
          .defaultValue(4096)
          .validator(Validator.range(1, 15 * 1024))
          .doc("SuperLink only: largest payload of one relayed envelope, in KiB.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Integer> MAX_ENVELOPES_PER_RUN =
      ConfigKey.builder("superlink", "max_envelopes_per_run", ConfigType.INT)
          .defaultValue(100_000)
          .validator(Validator.range(1, 100_000_000))
          .doc("SuperLink only: envelopes the SuperLink relays for one run, in total.")
          .readBy(SUPERLINK)
          .build();

  // [auth]

  public static final ConfigKey<Path> SUPERNODE_PRIVATE_KEY =
      path("auth", "supernode_private_key", "OpenSSH ECDSA private key of this node.", SUPERNODE);
  public static final ConfigKey<Path> SUPERNODE_PUBLIC_KEY =
      path("auth", "supernode_public_key", "OpenSSH ECDSA public key of this node.", SUPERNODE);
  public static final ConfigKey<Path> SUPERLINK_PRIVATE_KEY =
      path(
          "auth",
          "superlink_private_key",
          "OpenSSH ECDSA private key of the SuperLink.",
          SUPERLINK);
  public static final ConfigKey<Path> SUPERLINK_PUBLIC_KEY =
      path(
          "auth",
          "superlink_public_key",
          "OpenSSH ECDSA public key of the SuperLink; on nodes and researchers an optional pin.",
          SUPERLINK,
          SUPERNODE,
          RESEARCHER);
  public static final ConfigKey<Path> LIST_PUBLIC_KEYS =
      path(
          "auth",
          "list_public_keys",
          "CSV file of the OpenSSH public keys of allowed nodes.",
          SUPERLINK);
  public static final ConfigKey<Path> LIST_RESEARCHER_PUBLIC_KEYS =
      path(
          "auth",
          "list_researcher_public_keys",
          "CSV file of the OpenSSH public keys of allowed researchers.",
          SUPERLINK);
  public static final ConfigKey<Path> RESEARCHER_PRIVATE_KEY =
      path(
          "auth",
          "researcher_private_key",
          "OpenSSH ECDSA private key of the researcher.",
          RESEARCHER);
  public static final ConfigKey<Path> RESEARCHER_PUBLIC_KEY =
      path(
          "auth",
          "researcher_public_key",
          "OpenSSH ECDSA public key of the researcher.",
          RESEARCHER);

  public static final ConfigKey<Integer> TIMESTAMP_WINDOW_S =
      ConfigKey.builder("auth", "timestamp_window_s", ConfigType.INT)
          .defaultValue(60)
          .validator(Validator.range(1, 3600))
          .doc("Seconds a signed request stays acceptable; replayed nonces are refused within it.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Boolean> ALLOW_ANONYMOUS_CONTROL =
      ConfigKey.builder("auth", "allow_anonymous_control", ConfigType.BOOLEAN)
          .defaultValue(false)
          .doc(
              "True lets a SuperLink with node authentication but no researcher keys start, its"
                  + " Control API open to anyone who reaches the port.")
          .readBy(SUPERLINK)
          .build();

  // [mpc]

  public static final ConfigKey<Path> MPC_PRIVATE_KEY =
      ConfigKey.builder("mpc", "private_key", ConfigType.PATH)
          .doc("Private key of this component's MPC certificate (MPC_certificate.key).")
          .requiredBy(SUPERNODE, RESEARCHER)
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Path> MPC_PUBLIC_KEY =
      ConfigKey.builder("mpc", "public_key", ConfigType.PATH)
          .doc("This component's MPC certificate (MPC_certificate.pem), registered by the others.")
          .requiredBy(SUPERNODE, RESEARCHER)
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<String> MPC_IP =
      ConfigKey.builder("mpc", "ip", ConfigType.STRING)
          .defaultValue("localhost")
          .validator(Validator.host())
          .doc("Host or IP other parties reach this component's MPC endpoint on.")
          .readBy(SUPERNODE, RESEARCHER, SUPERLINK)
          .build();

  public static final ConfigKey<Integer> MPC_PORT =
      ConfigKey.builder("mpc", "port", ConfigType.INT)
          .validator(Validator.range(1, 65535))
          .doc("Port of this component's MPC endpoint (direct transport).")
          .requiredBy(SUPERNODE, RESEARCHER)
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<Boolean> ALLOW_DEFAULT_BIPRIMES =
      ConfigKey.builder("mpc", "allow_default_biprimes", ConfigType.BOOLEAN)
          .defaultValue(true)
          .doc("True lets secure aggregation use the biprimes shipped with Fedlink.")
          .readBy(SUPERNODE, RESEARCHER)
          .build();

  public static final ConfigKey<String> MPC_TRANSPORT =
      ConfigKey.builder("mpc", "transport", ConfigType.oneOf(List.of("relay", "direct")))
          .defaultValue("relay")
          .doc("relay: MPC messages go through the SuperLink; direct: mutual TLS to ip:port.")
          .readBy(SUPERNODE, RESEARCHER)
          .build();

  public static final ConfigKey<Integer> MIN_BIPRIME_BITS =
      ConfigKey.builder("mpc", "min_biprime_bits", ConfigType.INT)
          .defaultValue(1024)
          .validator(Validator.range(512, 16384))
          .doc("Smallest biprime, in bits, this component accepts for Joye-Libert.")
          .readBy(SUPERNODE, RESEARCHER)
          .build();

  // [security]

  public static final ConfigKey<String> HASHING_ALGORITHM =
      ConfigKey.builder("security", "hashing_algorithm", ConfigType.oneOf(HASHING_ALGORITHMS))
          .defaultValue("SHA256")
          .doc("Hash that identifies training plans (their approval is by hash).")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<Boolean> ALLOW_DEFAULT_TRAINING_PLANS =
      bool(
          "allow_default_training_plans",
          true,
          "True allows the training plans shipped with Fedlink.");
  public static final ConfigKey<Boolean> TRAINING_PLAN_APPROVAL =
      bool(
          "training_plan_approval",
          true,
          "True runs a researcher's training plan only once an admin approved its hash.");

  /** The values of {@code [security] plan_isolation}. */
  public static final List<String> PLAN_ISOLATION_LEVELS = List.of("sandbox", "process", "none");

  public static final ConfigKey<String> PLAN_ISOLATION =
      ConfigKey.builder("security", "plan_isolation", ConfigType.oneOf(PLAN_ISOLATION_LEVELS))
          .defaultValue("sandbox")
          .doc(
              "Where a researcher's training plan runs: sandbox (a worker process under"
                  + " bubblewrap), process (a worker process that can read this node's files),"
                  + " none (inside the node, development only).")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<Integer> PLAN_MAX_MEMORY_MB =
      ConfigKey.builder("security", "plan_max_memory_mb", ConfigType.INT)
          .defaultValue(1024)
          .validator(Validator.range(64, 1 << 20))
          .doc("Heap of a training plan's worker, in MiB; past it the worker is stopped.")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<Integer> PLAN_TIMEOUT_S =
      ConfigKey.builder("security", "plan_timeout_s", ConfigType.INT)
          .defaultValue(600)
          .validator(Validator.range(1, 7 * 24 * 3600))
          .doc("Longest a training plan may take for one task, in seconds; then it is stopped.")
          .readBy(SUPERNODE)
          .build();
  public static final ConfigKey<Boolean> SECURE_AGGREGATION =
      bool("secure_aggregation", true, "True lets this node take part in secure aggregation.");
  public static final ConfigKey<Boolean> FORCE_SECURE_AGGREGATION =
      bool(
          "force_secure_aggregation",
          false,
          "True refuses training requests without secure aggregation.");

  /** The secure-aggregation schemes a node accepts; the others are refused naming the scheme. */
  public static final List<String> SECURE_AGGREGATION_SCHEME_NAMES =
      List.of("joye-libert", "lom", "secagg+");

  public static final ConfigKey<String> SECURE_AGGREGATION_SCHEMES =
      ConfigKey.builder("security", "secure_aggregation_schemes", ConfigType.STRING)
          .defaultValue(String.join(",", SECURE_AGGREGATION_SCHEME_NAMES))
          .validator(
              v -> {
                for (String s : v.split(",", -1)) {
                  if (!SECURE_AGGREGATION_SCHEME_NAMES.contains(s.strip())) {
                    return java.util.Optional.of(
                        "names scheme '"
                            + s.strip()
                            + "'; use a comma-separated list of "
                            + String.join(", ", SECURE_AGGREGATION_SCHEME_NAMES));
                  }
                }
                return java.util.Optional.empty();
              })
          .doc(
              "Secure-aggregation schemes this node accepts (comma-separated): joye-libert, lom,"
                  + " secagg+.")
          .readBy(SUPERNODE)
          .build();

  // Operator surfaces: metrics endpoints and the node's web console.

  public static final ConfigKey<HostPort> SUPERLINK_METRICS_ADDRESS =
      ConfigKey.builder("superlink", "metrics_address", ConfigType.HOST_PORT)
          .doc(
              "SuperLink only: HOST:PORT to serve Prometheus metrics on (GET /metrics, plain"
                  + " HTTP); off when absent. Keep it on a private address.")
          .readBy(SUPERLINK)
          .build();

  public static final ConfigKey<HostPort> SUPERNODE_METRICS_ADDRESS =
      ConfigKey.builder("supernode", "metrics_address", ConfigType.HOST_PORT)
          .doc(
              "HOST:PORT to serve the node's Prometheus metrics on (GET /metrics, plain HTTP);"
                  + " off when absent.")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<Integer> SUPERNODE_CONNECTION_TIMEOUT_S =
      ConfigKey.builder("supernode", "connection_timeout_s", ConfigType.INT)
          .defaultValue(20)
          .validator(Validator.range(1, 600))
          .doc(
              "Seconds the SuperLink may stay silent (data unacknowledged, keepalive unanswered)"
                  + " before the node drops its connection and dials again.")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<Boolean> GUI_ENABLED =
      ConfigKey.builder("gui", "enabled", ConfigType.BOOLEAN)
          .defaultValue(false)
          .doc("True serves the node's web console while the node runs.")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<HostPort> GUI_ADDRESS =
      ConfigKey.builder("gui", "address", ConfigType.HOST_PORT)
          .defaultValue(new HostPort("127.0.0.1", 8484))
          .doc(
              "HOST:PORT of the node's web console; any address but loopback needs [gui]"
                  + " certfile and keyfile.")
          .readBy(SUPERNODE)
          .build();

  public static final ConfigKey<Path> GUI_CERTFILE =
      path("gui", "certfile", "PEM certificate (chain) of the web console's TLS.", SUPERNODE);

  public static final ConfigKey<Path> GUI_KEYFILE =
      path("gui", "keyfile", "Unencrypted PKCS#8 PEM key of the web console's TLS.", SUPERNODE);

  /** Every key, in file order. */
  public static final List<ConfigKey<?>> ALL =
      List.of(
          ID,
          COMPONENT,
          VERSION,
          DB,
          SUPERLINK_ADDRESS,
          ROOT_CERTIFICATES,
          SSL_CA_CERTFILE,
          SSL_CERTFILE,
          SSL_KEYFILE,
          INSECURE,
          HEARTBEAT_INTERVAL_MS,
          RUN_IDLE_TIMEOUT_S,
          RETENTION_DAYS,
          MAX_BLOB_MB,
          MAX_RUN_BLOB_MB,
          MAX_UPLOADS_PER_NODE,
          MAX_ENVELOPE_KB,
          MAX_ENVELOPES_PER_RUN,
          SUPERNODE_PRIVATE_KEY,
          SUPERNODE_PUBLIC_KEY,
          SUPERLINK_PRIVATE_KEY,
          SUPERLINK_PUBLIC_KEY,
          LIST_PUBLIC_KEYS,
          LIST_RESEARCHER_PUBLIC_KEYS,
          RESEARCHER_PRIVATE_KEY,
          RESEARCHER_PUBLIC_KEY,
          TIMESTAMP_WINDOW_S,
          ALLOW_ANONYMOUS_CONTROL,
          MPC_PRIVATE_KEY,
          MPC_PUBLIC_KEY,
          MPC_IP,
          MPC_PORT,
          ALLOW_DEFAULT_BIPRIMES,
          MPC_TRANSPORT,
          MIN_BIPRIME_BITS,
          HASHING_ALGORITHM,
          ALLOW_DEFAULT_TRAINING_PLANS,
          TRAINING_PLAN_APPROVAL,
          PLAN_ISOLATION,
          PLAN_MAX_MEMORY_MB,
          PLAN_TIMEOUT_S,
          SECURE_AGGREGATION,
          FORCE_SECURE_AGGREGATION,
          SECURE_AGGREGATION_SCHEMES,
          SUPERLINK_METRICS_ADDRESS,
          SUPERNODE_METRICS_ADDRESS,
          SUPERNODE_CONNECTION_TIMEOUT_S,
          GUI_ENABLED,
          GUI_ADDRESS,
          GUI_CERTFILE,
          GUI_KEYFILE);

  private ConfigKeys() {}

  /** The key {@code section.name} (case-insensitive), if Fedlink knows it. */
  public static Optional<ConfigKey<?>> find(String section, String name) {
    return ALL.stream()
        .filter(k -> k.section().equalsIgnoreCase(section) && k.name().equalsIgnoreCase(name))
        .findFirst();
  }

  /** The keys of {@code section}, in file order. */
  public static List<ConfigKey<?>> inSection(String section) {
    return ALL.stream().filter(k -> k.section().equals(section)).toList();
  }

  private static ConfigKey<Path> path(
      String section, String name, String doc, Component... readers) {
    return ConfigKey.builder(section, name, ConfigType.PATH).doc(doc).readBy(readers).build();
  }

  private static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
    return ConfigKey.builder("security", name, ConfigType.BOOLEAN)
        .defaultValue(defaultValue)
        .doc(doc)
        .readBy(SUPERNODE)
        .build();
  }
}
