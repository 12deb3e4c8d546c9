package org.fedlink.supernode.secagg;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.channel.RegisteredParty;
import org.fedlink.crypto.masking.FixedPoint;
import org.fedlink.crypto.masking.LomParty;
import org.fedlink.crypto.masking.MaskingCodec;
import org.fedlink.crypto.masking.RingVector;
import org.fedlink.crypto.masking.SecAggPlusNode;
import org.fedlink.crypto.masking.SecAggPlusParams;
import org.fedlink.crypto.masking.SignedKeys;
import org.fedlink.crypto.secagg.protocol.SecAggKeys;
import org.fedlink.proto.v1.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's side of the masking schemes, LOM and SecAgg+. Keys live in memory only.
 *
 * <ul>
 *   <li>LOM: a {@code lom-keys} task draws the node's X25519 key for the session and returns it
 *       signed; every secure train task lists the round's participants with their signed keys, and
 *       the node masks its encoded update with the pairwise streams of that round;
 *   <li>SecAgg+: the train task trains, keeps the encoded update and advertises two fresh keys; the
 *       {@code secagg+-share}, {@code -mask} and {@code -unmask} tasks carry the aggregator's
 *       routed messages as their input blob.
 * </ul>
 *
 * When this node has an MPC identity, it signs its keys and accepts a peer's key only if signed by
 * a component registered in its own registry; without one it runs honest-but-curious (the relays
 * are trusted not to substitute keys) and says so with WARN. Thread-safe.
 */
final class NodeMasking {
  private static final Logger log = LoggerFactory.getLogger(NodeMasking.class);
  private static final int MAX_STATES = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecureAggregationSettings settings;
  private final Map<String, LomParty> lom = lru();
  private final Map<String, SapRound> rounds = lru();
  private final java.util.Set<String> maskedRounds = java.util.Collections.newSetFromMap(lruSet());

  /** An open SecAgg+ round: the update is kept as trained and encoded when it is masked. */
  private record SapRound(SecAggPlusNode node, String session, float[] delta, long weight) {}

  NodeMasking(SecureAggregationSettings settings) {
    this.settings = settings;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> e) {
        return size() > MAX_STATES;
      }
    };
  }

  private static Map<String, Boolean> lruSet() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
        return size() > 100_000;
      }
    };
  }

  /**
   * Claims round {@code round} of {@code session}: a node sends at most one masked update per
   * session and round number. Otherwise a researcher could run one round twice over two subsets of
   * nodes and, the updates being the same (training is deterministic for a given global model),
   * learn a node's update as the difference of the two sums.
   */
  private void claim(long nodeId, String scheme, String session, int round) {
    synchronized (maskedRounds) {
      if (!maskedRounds.add(scheme + "/" + session + "/" + round)) {
        throw refused(
            "node "
                + nodeId
                + " already sent a masked update for round "
                + round
                + " of session "
                + session
                + "; a round is never masked twice (two sums over different nodes would reveal"
                + " one node's update)");
      }
    }
  }

  /** LOM setup: draws the key of the task's session; returns the signed key as blob. */
  byte[] lomKeys(long nodeId, Task task) {
    String session = require(task, SecAggKeys.SESSION);
    LomParty p;
    synchronized (lom) {
      p = lom.computeIfAbsent(session, s -> new LomParty(nodeId, s, RANDOM));
    }
    warnIfUnsigned(session);
    return MaskingCodec.encodeKeys(
        List.of(sign(nodeId, p.publicKey(), SecAggKeys.lomKeyContext(session))));
  }

  /** LOM round: the masked encoding of {@code delta}. */
  byte[] lomProtect(long nodeId, Task task, float[] delta, long weight) {
    Map<String, String> c = task.getConfigMap();
    String session = require(task, SecAggKeys.SESSION);
    String roundId = require(task, SecAggKeys.ROUND_ID);
    LomParty p;
    synchronized (lom) {
      p = lom.get(session);
    }
    if (p == null) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "no LOM key for session "
              + session
              + " on node "
              + nodeId
              + " (was the node restarted?); the researcher must start a new run");
    }
    claim(nodeId, SecAggKeys.SCHEME_LOM, session, task.getRound());
    List<SignedKeys> keys = decodeKeys(c.get(SecAggKeys.PEER_KEYS));
    Map<Long, byte[]> participants = new TreeMap<>();
    for (SignedKeys k : keys) {
      if (k.node() != nodeId) {
        check(nodeId, k, SecAggKeys.lomKeyContext(session));
      }
      participants.put(k.node(), k.keys());
    }
    FixedPoint f = fixedPoint(c);
    try {
      RingVector y = p.encodeAndProtect(f, delta, weight, roundId, participants);
      return MaskingCodec.encodeMasked(
          new MaskingCodec.MaskedBlob(SecAggKeys.SCHEME_LOM, session, roundId, y));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw refused("LOM: " + e.getMessage());
    }
  }

  /** SecAgg+ stage 1, after training: keeps the encoded update, returns the signed keys. */
  byte[] secAggPlusAdvertise(long nodeId, Task task, float[] delta, long weight) {
    Map<String, String> c = task.getConfigMap();
    String session = require(task, SecAggKeys.SESSION);
    String roundId = require(task, SecAggKeys.ROUND_ID);
    SecAggPlusParams params =
        new SecAggPlusParams(integer(c, SecAggKeys.NUM_SHARES), integer(c, SecAggKeys.THRESHOLD));
    long maxWeight = longValue(c, SecAggKeys.MAX_WEIGHT);
    if (weight > maxWeight) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT,
          "node "
              + nodeId
              + " trained on "
              + weight
              + " examples, above the agreed max weight "
              + maxWeight
              + " (the researcher sets maxWeight)");
    }
    claim(nodeId, SecAggKeys.SCHEME_SECAGG_PLUS, session, task.getRound());
    SecAggPlusNode node = new SecAggPlusNode(nodeId, roundId, params, RANDOM);
    synchronized (rounds) {
      if (rounds.containsKey(roundId)) {
        throw refused("SecAgg+ round " + roundId + " was already started on node " + nodeId);
      }
      rounds.put(roundId, new SapRound(node, session, delta, weight));
    }
    warnIfUnsigned(session);
    SecAggPlusNode.Advertisement a = node.advertise();
    byte[] both = new byte[64];
    System.arraycopy(a.encryptionKey(), 0, both, 0, 32);
    System.arraycopy(a.maskingKey(), 0, both, 32, 32);
    return MaskingCodec.encodeKeys(
        List.of(sign(nodeId, both, SecAggKeys.secAggPlusKeyContext(roundId))));
  }

  /** SecAgg+ stages 2 to 4; {@code input} is the task's input blob (null for unmask). */
  byte[] secAggPlusStage(long nodeId, Task task, byte[] input) {
    String roundId = require(task, SecAggKeys.ROUND_ID);
    SapRound r;
    synchronized (rounds) {
      r = rounds.get(roundId);
    }
    if (r == null) {
      throw new FedlinkException(
          ErrorCode.FAILED_PRECONDITION,
          "no SecAgg+ round " + roundId + " on node " + nodeId + " (was the node restarted?)");
    }
    try {
      switch (task.getKind()) {
        case SecAggKeys.KIND_SAP_SHARE -> {
          Map<Long, SecAggPlusNode.Advertisement> roster = new TreeMap<>();
          for (SignedKeys k : MaskingCodec.decodeKeys(input)) {
            if (k.node() != nodeId) {
              check(nodeId, k, SecAggKeys.secAggPlusKeyContext(roundId));
            }
            byte[] b = k.keys();
            if (b.length != 64) {
              throw refused("SecAgg+ keys of node " + k.node() + " are not two X25519 keys");
            }
            roster.put(
                k.node(),
                new SecAggPlusNode.Advertisement(
                    java.util.Arrays.copyOf(b, 32), java.util.Arrays.copyOfRange(b, 32, 64)));
          }
          return MaskingCodec.encodeShared(r.node().shareKeys(roster));
        }
        case SecAggKeys.KIND_SAP_MASK -> {
          RingVector y =
              r.node()
                  .maskInput(
                      MaskingCodec.decodeIdMap(input),
                      fixedPoint(task.getConfigMap()),
                      r.delta(),
                      r.weight());
          return MaskingCodec.encodeMasked(
              new MaskingCodec.MaskedBlob(SecAggKeys.SCHEME_SECAGG_PLUS, r.session(), roundId, y));
        }
        case SecAggKeys.KIND_SAP_UNMASK -> {
          Set<Long> survivors = new TreeSet<>();
          for (String s : require(task, SecAggKeys.SURVIVORS).split(",")) {
            survivors.add(Long.parseLong(s.strip()));
          }
          byte[] out = MaskingCodec.encodeReveals(r.node().unmask(survivors));
          synchronized (rounds) {
            rounds.remove(roundId);
          }
          return out;
        }
        default -> throw new IllegalStateException("not a SecAgg+ stage: " + task.getKind());
      }
    } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
      throw refused("SecAgg+ " + task.getKind() + ": " + e.getMessage());
    }
  }

  private SignedKeys sign(long nodeId, byte[] keys, String context) {
    try {
      return SignedKeys.sign(settings.identity(), nodeId, keys, context);
    } catch (GeneralSecurityException e) {
      throw refused("cannot sign with this node's MPC key: " + e.getMessage());
    }
  }

  /** With an MPC identity, a peer key must be signed by a component registered on this node. */
  private void check(long nodeId, SignedKeys k, String context) {
    if (settings.identity() == null) {
      return;
    }
    RegisteredParty party =
        settings
            .parties()
            .lookup(k.component())
            .orElseThrow(
                () ->
                    refused(
                        "the key of node "
                            + k.node()
                            + " is "
                            + (k.signed()
                                ? "signed by component '" + k.component() + "', which is"
                                : "unsigned, and its sender is")
                            + " not registered on node "
                            + nodeId
                            + "; register its certificate (fedlink certificate register) or"
                            + " leave that node out"));
    try {
      k.verify(party, context);
    } catch (GeneralSecurityException e) {
      throw refused(
          "the key of node "
              + k.node()
              + " (component "
              + k.component()
              + ") failed verification: "
              + e.getMessage()
              + "; a relay may have altered it");
    }
  }

  private void warnIfUnsigned(String session) {
    if (settings.identity() == null) {
      log.warn(
          "secure aggregation session {} runs without MPC certificates: keys are neither signed"
              + " nor checked, so the SuperLink and researcher are trusted not to substitute"
              + " them (honest-but-curious)",
          session);
    }
  }

  private static List<SignedKeys> decodeKeys(String base64) {
    if (base64 == null) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "task lists no participant keys");
    }
    try {
      return MaskingCodec.decodeKeys(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "malformed participant keys: " + e.getMessage());
    }
  }

  /** The encoding the researcher chose for this round; its checks keep every sum in range. */
  static FixedPoint fixedPoint(Map<String, String> c) {
    try {
      return new FixedPoint(
          Double.parseDouble(c.getOrDefault(SecAggKeys.CLIPPING_RANGE, "")),
          longValue(c, SecAggKeys.SCALE),
          longValue(c, SecAggKeys.WEIGHT_UNIT),
          integer(c, SecAggKeys.MAX_PARTIES),
          integer(c, SecAggKeys.LANE_BITS));
    } catch (IllegalArgumentException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "bad fixed-point settings: " + e.getMessage());
    }
  }

  private static long longValue(Map<String, String> c, String key) {
    try {
      return Long.parseLong(c.getOrDefault(key, ""));
    } catch (NumberFormatException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "task config " + key + " is not an integer");
    }
  }

  private static int integer(Map<String, String> c, String key) {
    try {
      return Integer.parseInt(c.getOrDefault(key, ""));
    } catch (NumberFormatException e) {
      throw new FedlinkException(
          ErrorCode.INVALID_ARGUMENT, "task config " + key + " is not an integer");
    }
  }

  private static String require(Task task, String key) {
    String v = task.getConfigMap().get(key);
    if (v == null || v.isEmpty()) {
      throw new FedlinkException(ErrorCode.INVALID_ARGUMENT, "task config lacks " + key);
    }
    return v;
  }

  private static FedlinkException refused(String message) {
    return new FedlinkException(ErrorCode.REFUSED, message);
  }
}
