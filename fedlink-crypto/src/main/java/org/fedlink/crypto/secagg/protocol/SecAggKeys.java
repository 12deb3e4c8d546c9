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

  /** Scheme name of LOM (low-overhead masking). */
  public static final String SCHEME_LOM = "lom";

  /** Scheme name of SecAgg+. */
  public static final String SCHEME_SECAGG_PLUS = "secagg+";

  /** Task kind (LOM): the node draws its X25519 key for the session and returns it signed. */
  public static final String KIND_LOM_KEYS = "lom-keys";

  /** Task kind (SecAgg+ stage 2): share the self-mask seed and mask key with the neighbours. */
  public static final String KIND_SAP_SHARE = "secagg+-share";

  /** Task kind (SecAgg+ stage 3): send the masked update. */
  public static final String KIND_SAP_MASK = "secagg+-mask";

  /** Task kind (SecAgg+ stage 4): reveal shares for the listed survivors. */
  public static final String KIND_SAP_UNMASK = "secagg+-unmask";

  /** Task config (LOM, SecAgg+): the fresh id of this attempt of the round, bound into masks. */
  public static final String ROUND_ID = "secagg.round-id";

  /** Task config (LOM): every participant's signed key, base64 of MaskingCodec.encodeKeys. */
  public static final String PEER_KEYS = "secagg.keys";

  /** Task config (LOM, SecAgg+): the most parties a sum may have, which sets the lane width. */
  public static final String MAX_PARTIES = "secagg.max-parties";

  /** Task config (LOM train, SecAgg+ masked input): the fixed-point scale S of the encoding. */
  public static final String SCALE = "secagg.scale";

  /** Task config (LOM train, SecAgg+ masked input): the weight unit U, at least every weight. */
  public static final String WEIGHT_UNIT = "secagg.weight-unit";

  /** Task config (LOM train, SecAgg+ masked input): 32 or 64, the lanes' width. */
  public static final String LANE_BITS = "secagg.lane-bits";

  /** Task config (SecAgg+): holders per node (0 = all). */
  public static final String NUM_SHARES = "secagg.num-shares";

  /** Task config (SecAgg+): shares needed to reconstruct. */
  public static final String THRESHOLD = "secagg.threshold";

  /** Task config (SecAgg+ stage 4): the nodes whose masked input arrived, comma-separated. */
  public static final String SURVIVORS = "secagg.survivors";

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

  /** The scheme a task asks for: its {@link #SCHEME}, Joye-Libert when absent. */
  public static String scheme(java.util.Map<String, String> taskConfig) {
    return taskConfig.getOrDefault(SCHEME, SCHEME_JOYE_LIBERT);
  }

  /** True for the task kinds of a secure-aggregation setup or stage (not train itself). */
  public static boolean isSecureKind(String kind) {
    return kind.equals(KIND_IDENTIFY)
        || kind.equals(KIND_SETUP)
        || kind.equals(KIND_LOM_KEYS)
        || kind.equals(KIND_SAP_SHARE)
        || kind.equals(KIND_SAP_MASK)
        || kind.equals(KIND_SAP_UNMASK);
  }

  /** Context of a LOM key advertisement. */
  public static String lomKeyContext(String session) {
    return PREFIX + "lom/" + session + "/key";
  }

  /** Context of a SecAgg+ key advertisement. */
  public static String secAggPlusKeyContext(String roundId) {
    return PREFIX + "secagg+/" + roundId + "/key";
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
