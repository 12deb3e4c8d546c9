package org.fedlink.crypto.masking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node's side of a SecAgg+ round (Bell et al., CCS 2020), as a state machine driven by the
 * aggregator's four requests; it knows nothing of transport.
 *
 * <ol>
 *   <li>{@link #advertise()}: two fresh X25519 public keys, one to encrypt shares (c), one for the
 *       pairwise masks (s);
 *   <li>{@link #shareKeys(Map)}: given every node that advertised, draw the self-mask seed b, split
 *       b and the private mask key into Shamir shares for the holders of the neighbour graph, and
 *       seal each share with AES-GCM under the pairwise encryption key; commit to b;
 *   <li>{@link #maskInput(Map, RingVector)}: open the shares sent to this node (only from nodes
 *       that shared), and add the self mask PRG(b) and, for every neighbour that shared, the
 *       pairwise mask +-PRG(s_ij) to the encoded update;
 *   <li>{@link #unmask(Set)}: given the nodes whose masked input arrived, reveal for each neighbour
 *       either its seed share (it survived) or its key share (it dropped), never both: this is
 *       answered once per round.
 * </ol>
 *
 * Each step may run once and in order; anything else is refused. Not thread-safe.
 */
public final class SecAggPlusNode {
  private final long id;
  private final String roundId;
  private final SecAggPlusParams params;
  private final SecureRandom random;
  private final X25519KeyPair encryption;
  private final X25519KeyPair masking;
  private int stage;
  private NeighborGraph graph;
  private Map<Long, Advertisement> roster;
  private byte[] seed;
  private final Map<Long, Shamir.Share> seedShares = new HashMap<>();
  private final Map<Long, Shamir.Share> keyShares = new HashMap<>();
  private Set<Long> shared;

  /** Pairwise share-encryption keys, agreed when sealing and reused when opening (symmetric). */
  private final Map<Long, byte[]> shareKeys = new HashMap<>();

  /** Public keys of one node for one round. */
  public record Advertisement(byte[] encryptionKey, byte[] maskingKey) {
    public Advertisement {
      if (encryptionKey.length != 32 || maskingKey.length != 32) {
        throw new IllegalArgumentException("X25519 public keys must be 32 bytes");
      }
    }
  }

  /** The sealed shares for each holder and the commitment to the self-mask seed. */
  public record SharedKeys(byte[] seedCommitment, Map<Long, byte[]> sealed) {}

  /** One revealed share: of {@code owner}'s seed (survivor) or of its mask key (dropped). */
  public record Reveal(long owner, boolean seed, Shamir.Share share) {}

  public SecAggPlusNode(long id, String roundId, SecAggPlusParams params, SecureRandom random) {
    this.id = id;
    this.roundId = roundId;
    this.params = params;
    this.random = random;
    this.encryption = X25519KeyPair.generate(random);
    this.masking = X25519KeyPair.generate(random);
  }

  public long id() {
    return id;
  }

  public Advertisement advertise() {
    step(0);
    return new Advertisement(encryption.publicKey(), masking.publicKey());
  }

  /**
   * @param advertised every node that advertised keys in stage 1, this one included
   * @throws GeneralSecurityException if this node is missing or listed with other keys, the
   *     parameters are unsafe for the number of nodes, or a peer key is of low order
   */
  public SharedKeys shareKeys(Map<Long, Advertisement> advertised) throws GeneralSecurityException {
    step(1);
    Advertisement me = advertised.get(id);
    if (me == null
        || !encryption.samePublicKey(me.encryptionKey())
        || !masking.samePublicKey(me.maskingKey())) {
      throw new GeneralSecurityException(
          "node " + id + " is not listed with its own keys among the advertised nodes");
    }
    try {
      graph = new NeighborGraph(roundId, advertised.keySet(), params);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException(e.getMessage());
    }
    roster = Map.copyOf(advertised);
    seed = new byte[32];
    random.nextBytes(seed);
    List<Long> holders = new ArrayList<>(new TreeSet<>(graph.holders(id)));
    int[] xs = new int[holders.size()];
    for (int h = 0; h < xs.length; h++) {
      xs[h] = graph.x(holders.get(h));
    }
    Shamir.Share[] b = Shamir.split(seed, xs, params.threshold(), random);
    Shamir.Share[] s = Shamir.split(masking.privateKeyBytes(), xs, params.threshold(), random);
    Map<Long, byte[]> sealed = new LinkedHashMap<>();
    for (int h = 0; h < xs.length; h++) {
      long to = holders.get(h);
      if (to == id) {
        seedShares.put(id, b[h]);
        keyShares.put(id, s[h]);
        continue;
      }
      byte[] key = encryptionKey(to);
      sealed.put(to, ShareCipher.seal(key, encodeShares(b[h], s[h]), aad(id, to), random));
    }
    return new SharedKeys(commitment(roundId, id, seed), sealed);
  }

  /**
   * @param received the sealed shares sent to this node, by sender; only nodes that completed stage
   *     2 may appear
   * @param encoded the encoded update; masked in place and returned
   * @throws GeneralSecurityException if a share fails to open (altered, replayed from another
   *     round, re-addressed) or fewer than threshold holders remain among this node's neighbours
   */
  public RingVector maskInput(Map<Long, byte[]> received, RingVector encoded)
      throws GeneralSecurityException {
    MaskPrg.apply(openShares(received), encoded);
    return encoded;
  }

  /**
   * As {@link #maskInput(Map, RingVector)}, encoding {@code values} with {@code f} and masking them
   * in one pass.
   */
  public RingVector maskInput(Map<Long, byte[]> received, FixedPoint f, float[] values, long weight)
      throws GeneralSecurityException {
    return f.encodeMasked(values, weight, openShares(received));
  }

  private List<MaskKey> openShares(Map<Long, byte[]> received) throws GeneralSecurityException {
    step(2);
    shared = new TreeSet<>();
    shared.add(id);
    for (Map.Entry<Long, byte[]> e : received.entrySet()) {
      long from = e.getKey();
      if (from == id || !graph.adjacent(id, from)) {
        throw new GeneralSecurityException(
            "node " + from + " is not a neighbour of node " + id + " in this round");
      }
      byte[] plain = ShareCipher.open(encryptionKey(from), e.getValue(), aad(from, id));
      Shamir.Share[] two = decodeShares(plain, graph.x(id));
      seedShares.put(from, two[0]);
      keyShares.put(from, two[1]);
      shared.add(from);
    }
    if (shared.size() < params.threshold()) {
      throw new GeneralSecurityException(
          "only "
              + shared.size()
              + " of node "
              + id
              + "'s holders shared keys; "
              + params.threshold()
              + " are needed");
    }
    List<MaskKey> masks = new ArrayList<>();
    masks.add(MaskKey.derive(seed, selfContext(roundId, id), false));
    for (long j : shared) {
      if (j != id) {
        byte[] s =
            PairwiseSecret.derive(masking, id, roster.get(j).maskingKey(), j, maskPurpose(roundId));
        masks.add(MaskKey.derive(s, pairContext(roundId, id, j), j < id));
      }
    }
    java.util.Arrays.fill(seed, (byte) 0);
    return masks;
  }

  /**
   * @param survivors the nodes whose masked input the aggregator received; must include this node
   *     and at least threshold nodes
   * @throws GeneralSecurityException if asked a second time (revealing for another set of survivors
   *     could give both kinds of share of one node), or the set is too small
   */
  public List<Reveal> unmask(Set<Long> survivors) throws GeneralSecurityException {
    step(3);
    if (!survivors.contains(id)) {
      throw new GeneralSecurityException("node " + id + " is not among the listed survivors");
    }
    if (survivors.size() < params.threshold()) {
      throw new GeneralSecurityException(
          survivors.size() + " survivors is below the threshold of " + params.threshold());
    }
    List<Reveal> out = new ArrayList<>();
    for (long j : shared) {
      boolean alive = survivors.contains(j);
      out.add(new Reveal(j, alive, alive ? seedShares.get(j) : keyShares.get(j)));
    }
    seedShares.clear();
    keyShares.clear();
    shareKeys.clear();
    return out;
  }

  private void step(int expected) {
    if (stage != expected) {
      throw new IllegalStateException(
          "SecAgg+ step "
              + (expected + 1)
              + " asked at step "
              + (stage + 1)
              + " of round "
              + roundId);
    }
    stage++;
  }

  private byte[] encryptionKey(long peer) throws GeneralSecurityException {
    byte[] k = shareKeys.get(peer);
    if (k == null) {
      k =
          PairwiseSecret.derive(
              encryption,
              id,
              roster.get(peer).encryptionKey(),
              peer,
              "secagg+/" + roundId + "/share");
      shareKeys.put(peer, k);
    }
    return k;
  }

  private String aad(long from, long to) {
    return "fedlink/secagg+/v1/" + roundId + "/share/" + from + "/" + to;
  }

  static String maskPurpose(String roundId) {
    return "secagg+/" + roundId + "/mask";
  }

  static String selfContext(String roundId, long node) {
    return "secagg+/v1/" + roundId + "/self/" + node;
  }

  static String pairContext(String roundId, long a, long b) {
    return "secagg+/v1/" + roundId + "/pair/" + Math.min(a, b) + "/" + Math.max(a, b);
  }

  static byte[] commitment(String roundId, long node, byte[] seed) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(
          ("fedlink/secagg+/v1/seed/" + roundId + "/" + node + "/")
              .getBytes(StandardCharsets.UTF_8));
      return d.digest(seed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] encodeShares(Shamir.Share b, Shamir.Share s) {
    ByteBuffer out = ByteBuffer.allocate(8 * (b.values().length + s.values().length) + 2);
    out.put((byte) b.values().length).put((byte) s.values().length);
    for (long v : b.values()) {
      out.putLong(v);
    }
    for (long v : s.values()) {
      out.putLong(v);
    }
    return out.array();
  }

  private static Shamir.Share[] decodeShares(byte[] plain, int x) throws GeneralSecurityException {
    int chunks = Shamir.chunks(32);
    if (plain.length != 2 + 16 * chunks || plain[0] != chunks || plain[1] != chunks) {
      throw new GeneralSecurityException(
          "a share message of " + plain.length + " bytes is malformed");
    }
    ByteBuffer in = ByteBuffer.wrap(plain, 2, plain.length - 2);
    long[] b = new long[chunks];
    long[] s = new long[chunks];
    for (int i = 0; i < chunks; i++) {
      b[i] = in.getLong();
    }
    for (int i = 0; i < chunks; i++) {
      s[i] = in.getLong();
    }
    try {
      return new Shamir.Share[] {new Shamir.Share(x, b), new Shamir.Share(x, s)};
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("a share value lies outside the field");
    }
  }
}
