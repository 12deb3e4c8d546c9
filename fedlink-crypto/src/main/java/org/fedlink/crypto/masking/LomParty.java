package org.fedlink.crypto.masking;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One party of LOM (low-overhead masking): an X25519 key pair drawn once per session, the pairwise
 * secrets agreed with every other participant (computed once per peer and kept, so a node joining
 * later costs one agreement per party), and the masking of an encoded update for one round:
 *
 * <p>y_i = x_i + sum over participants j != i of s(i, j) x PRG(secret_ij, session, round id, i, j)
 * with s = +1 if i &lt; j, -1 otherwise. Summed over the round's participants the masks cancel, so
 * the aggregator learns only the sum. Each round id (drawn fresh by the aggregator for every
 * attempt of a round) may be used once: a second use would mask two inputs with the same stream.
 *
 * <p>Thread-safe.
 */
public final class LomParty {
  private final long id;
  private final String session;
  private final X25519KeyPair keys;
  private final Map<Long, Peer> peers = new HashMap<>();
  private final java.util.Set<String> usedRounds = new java.util.HashSet<>();

  private record Peer(byte[] publicKey, byte[] secret) {}

  public LomParty(long id, String session, SecureRandom random) {
    this.id = id;
    this.session = Objects.requireNonNull(session, "session");
    this.keys = X25519KeyPair.generate(random);
  }

  public long id() {
    return id;
  }

  public String session() {
    return session;
  }

  public byte[] publicKey() {
    return keys.publicKey();
  }

  /**
   * Masks {@code encoded} in place for round {@code roundId} among {@code participants} (node id to
   * X25519 public key; this party must be among them with its own key).
   *
   * @throws GeneralSecurityException if a peer key is malformed or of low order, this party is not
   *     listed with its key, or the round id was used before
   */
  public RingVector protect(RingVector encoded, String roundId, Map<Long, byte[]> participants)
      throws GeneralSecurityException {
    MaskPrg.apply(masks(roundId, participants), encoded);
    return encoded;
  }

  /**
   * Encodes {@code values} with {@code f} and masks them in one pass ({@link
   * FixedPoint#encodeMasked}); same checks as {@link #protect}.
   */
  public RingVector encodeAndProtect(
      FixedPoint f, float[] values, long weight, String roundId, Map<Long, byte[]> participants)
      throws GeneralSecurityException {
    return f.encodeMasked(values, weight, masks(roundId, participants));
  }

  private List<MaskKey> masks(String roundId, Map<Long, byte[]> participants)
      throws GeneralSecurityException {
    byte[] mine = participants.get(id);
    if (mine == null || !keys.samePublicKey(mine)) {
      throw new GeneralSecurityException(
          "party " + id + " is not listed with its own key among the round's participants");
    }
    List<MaskKey> masks = new ArrayList<>();
    for (Map.Entry<Long, byte[]> e : participants.entrySet()) {
      long peer = e.getKey();
      if (peer == id) {
        continue;
      }
      byte[] secret = secretWith(peer, e.getValue());
      masks.add(MaskKey.derive(secret, context(session, roundId, id, peer), peer < id));
    }
    synchronized (usedRounds) {
      if (!usedRounds.add(roundId)) {
        throw new GeneralSecurityException(
            "round id "
                + roundId
                + " was already used by party "
                + id
                + "; masks are never reused");
      }
    }
    return masks;
  }

  /** The mask context of a pair in a round; the same for both parties. */
  static String context(String session, String roundId, long a, long b) {
    return "lom/v1/" + session + "/" + roundId + "/" + Math.min(a, b) + "/" + Math.max(a, b);
  }

  private byte[] secretWith(long peer, byte[] publicKey) throws GeneralSecurityException {
    synchronized (peers) {
      Peer p = peers.get(peer);
      if (p != null && java.util.Arrays.equals(p.publicKey(), publicKey)) {
        return p.secret();
      }
      byte[] secret = PairwiseSecret.derive(keys, id, publicKey, peer, "lom/" + session);
      peers.put(peer, new Peer(publicKey.clone(), secret));
      return secret;
    }
  }

  /** Peers whose secret is already agreed (for tests and metrics). */
  public int agreedPeers() {
    synchronized (peers) {
      return peers.size();
    }
  }

  @Override
  public String toString() {
    return "LomParty[" + id + ", session " + session + "]";
  }
}
