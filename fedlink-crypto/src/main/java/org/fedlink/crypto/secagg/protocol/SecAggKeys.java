package org.fedlink.crypto.secagg.protocol;

/**
 * Names shared by the researcher and the nodes for Joye-Libert secure aggregation: task kinds, task
 * config keys, envelope topics and the contexts bound into every sealed message. See
 * docs/secure-aggregation.md for the protocol.
 */
public final class SecAggKeys {
  /** Task kind: the node proves which registered component it is (sealed to the researcher). */
  public static final String KIND_IDENTIFY = "secagg-identify";

  /** Task kind: the node draws its key, exchanges shares, returns its sealed share sum. */
  public static final String KIND_SETUP = "secagg-setup";

  /** Scheme name of Joye-Libert. */
  public static final String SCHEME_JOYE_LIBERT = "joye-libert";

  /** Envelope topic of a node-to-node key share. */
  public static final String TOPIC_SHARE = "secagg/share";

  /** Task config: the setup session id; on a train task it asks for an encrypted update. */
  public static final String SESSION = "secagg.session";

  /** Train task config: "false" when no later round follows, so no masks are precomputed. */
  public static final String PRECOMPUTE_NEXT = "secagg.precompute-next";

  public static final String SCHEME = "secagg.scheme";
  public static final String RESEARCHER = "secagg.researcher";
  public static final String PARTIES = "secagg.parties";
  public static final String BIPRIME_FINGERPRINT = "secagg.biprime.sha256";
  public static final String BIPRIME_BITS = "secagg.biprime.bits";
  public static final String CLIPPING_RANGE = "secagg.clipping-range";
  public static final String VALUE_BITS = "secagg.value-bits";
  public static final String MAX_WEIGHT = "secagg.max-weight";
  public static final String LENGTH = "secagg.length";
  public static final String FIRST_ROUND = "secagg.first-round";
  public static final String TRANSPORT = "secagg.transport";

  /** Task config of a setup task: the guard seed, sealed by the researcher to that node. */
  public static final String GUARD_SEED = "secagg.guard-seed";

  private static final String PREFIX = "fedlink/secagg/v1/";

  private SecAggKeys() {}

  /** True if a train task asks for an encrypted update. */
  public static boolean isSecure(java.util.Map<String, String> taskConfig) {
    return taskConfig.containsKey(SESSION);
  }

  /** Context of the identity proof a node seals to the researcher. */
  public static String identifyContext(String session) {
    return PREFIX + session + "/identify";
  }

  /** Context of a key share sent from one node to another. */
  public static String shareContext(String session) {
    return PREFIX + session + "/share";
  }

  /** Context of the share sum a node seals to the researcher. */
  public static String sumContext(String session) {
    return PREFIX + session + "/sum";
  }

  /** Context of the guard seed the researcher seals to each node. */
  public static String guardContext(String session) {
    return PREFIX + session + "/guard";
  }
}
