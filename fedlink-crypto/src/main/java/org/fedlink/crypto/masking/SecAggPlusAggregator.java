package org.fedlink.crypto.masking;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The aggregator's side of a SecAgg+ round: it routes the sealed shares (which it cannot open),
 * sums the masked inputs, and removes the masks with the shares the survivors reveal: the self mask
 * of every node whose input arrived, and the pairwise masks its neighbours added with every node
 * that dropped after sharing its keys. A reconstructed seed must match the node's commitment and a
 * reconstructed key its advertised public key; a wrong share is found by leaving one holder out at
 * a time when more than threshold shares arrived, otherwise the round fails naming the holders.
 * Each stage below the threshold fails naming how many answered and how many were needed. Not
 * thread-safe.
 */
public final class SecAggPlusAggregator {
  private final String roundId;
  private final SecAggPlusParams params;
  private Map<Long, SecAggPlusNode.Advertisement> advertised;
  private NeighborGraph graph;
  private final Map<Long, byte[]> commitments = new HashMap<>();
  private Set<Long> shared;
  private Set<Long> survivors;
  private RingVector sum;

  /** Thrown when a stage cannot go on; the message says what and, where known, which node. */
  public static final class RoundAbortedException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public RoundAbortedException(String message) {
      super(message);
    }
  }

  public SecAggPlusAggregator(String roundId, SecAggPlusParams params) {
    this.roundId = roundId;
    this.params = params;
  }

  /** Stage 1 done: the nodes that advertised keys; returns the graph. */
  public NeighborGraph advertised(Map<Long, SecAggPlusNode.Advertisement> keys)
      throws RoundAbortedException {
    need("advertise keys", keys.size());
    advertised = new TreeMap<>(keys);
    try {
      graph = new NeighborGraph(roundId, advertised.keySet(), params);
    } catch (IllegalArgumentException e) {
      throw new RoundAbortedException(e.getMessage());
    }
    return graph;
  }

  public Map<Long, SecAggPlusNode.Advertisement> roster() {
    return advertised;
  }

  /**
   * Stage 2 done: the shares each node sealed; returns, for each node that shared, the sealed
   * shares addressed to it by sender.
   *
   * @throws RoundAbortedException if fewer than threshold nodes shared, or a node addressed shares
   *     to nodes that are not its holders
   */
  public Map<Long, Map<Long, byte[]>> route(Map<Long, SecAggPlusNode.SharedKeys> fromNodes)
      throws RoundAbortedException {
    need("share keys", fromNodes.size());
    shared = new TreeSet<>(fromNodes.keySet());
    Map<Long, Map<Long, byte[]>> to = new TreeMap<>();
    for (long n : shared) {
      to.put(n, new LinkedHashMap<>());
    }
    for (Map.Entry<Long, SecAggPlusNode.SharedKeys> e : fromNodes.entrySet()) {
      long from = e.getKey();
      if (!advertised.containsKey(from)) {
        throw new RoundAbortedException("node " + from + " shared keys without advertising any");
      }
      commitments.put(from, e.getValue().seedCommitment().clone());
      for (Map.Entry<Long, byte[]> s : e.getValue().sealed().entrySet()) {
        if (!graph.adjacent(from, s.getKey()) || s.getKey() == from) {
          throw new RoundAbortedException(
              "node " + from + " addressed a share to node " + s.getKey() + ", not its neighbour");
        }
        Map<Long, byte[]> box = to.get(s.getKey());
        if (box != null) {
          box.put(from, s.getValue());
        }
      }
    }
    return to;
  }

  /** Stage 3 done: sums the masked inputs; returns the survivors to announce in stage 4. */
  public Set<Long> masked(Map<Long, RingVector> inputs) throws RoundAbortedException {
    for (Map.Entry<Long, RingVector> e : inputs.entrySet()) {
      addMasked(e.getKey(), e.getValue());
    }
    return closeInputs();
  }

  /**
   * Stage 3, one input: adds {@code input} to the sum at once, so the aggregator holds one vector
   * whatever the number of nodes.
   *
   * @throws RoundAbortedException if the node did not share keys, sent twice, or the vector's shape
   *     differs from the others'
   */
  public void addMasked(long node, RingVector input) throws RoundAbortedException {
    if (!shared.contains(node)) {
      throw new RoundAbortedException("node " + node + " sent an input without sharing keys");
    }
    if (survivors == null) {
      survivors = new TreeSet<>();
    }
    if (!survivors.add(node)) {
      throw new RoundAbortedException("node " + node + " sent two inputs");
    }
    if (sum == null) {
      sum = input.copy();
    } else {
      try {
        sum.add(input);
      } catch (IllegalArgumentException x) {
        throw new RoundAbortedException("node " + node + " sent " + x.getMessage());
      }
    }
  }

  /** Stage 3 done: the survivors to announce in stage 4. */
  public Set<Long> closeInputs() throws RoundAbortedException {
    need("masked input", survivors == null ? 0 : survivors.size());
    return Set.copyOf(survivors);
  }

  /**
   * Stage 4 done: removes every mask and returns the sum of the survivors' encoded inputs.
   *
   * @param reveals the shares each answering survivor revealed
   * @throws RoundAbortedException if fewer than threshold survivors answered, a secret lacks
   *     shares, or a wrong share cannot be isolated
   */
  public RingVector unmask(Map<Long, List<SecAggPlusNode.Reveal>> reveals)
      throws GeneralSecurityException {
    need("unmask", reveals.size());
    Map<Long, List<Shamir.Share>> seeds = new TreeMap<>();
    Map<Long, List<Shamir.Share>> keys = new TreeMap<>();
    Map<Long, List<Long>> seedHolders = new HashMap<>();
    Map<Long, List<Long>> keyHolders = new HashMap<>();
    for (Map.Entry<Long, List<SecAggPlusNode.Reveal>> e : reveals.entrySet()) {
      long holder = e.getKey();
      if (!survivors.contains(holder)) {
        throw new RoundAbortedException("node " + holder + " revealed shares without an input");
      }
      for (SecAggPlusNode.Reveal r : e.getValue()) {
        boolean alive = survivors.contains(r.owner());
        if (r.seed() != alive
            || !shared.contains(r.owner())
            || !graph.adjacent(r.owner(), holder)
            || r.share().x() != graph.x(holder)) {
          throw new RoundAbortedException(
              "node "
                  + holder
                  + " revealed a share of node "
                  + r.owner()
                  + " it was not asked for");
        }
        (alive ? seeds : keys).computeIfAbsent(r.owner(), k -> new ArrayList<>()).add(r.share());
        (alive ? seedHolders : keyHolders)
            .computeIfAbsent(r.owner(), k -> new ArrayList<>())
            .add(holder);
      }
    }
    List<MaskKey> removal = new ArrayList<>();
    for (long j : survivors) {
      byte[] seed = reconstruct(j, seeds, seedHolders, true);
      removal.add(MaskKey.derive(seed, SecAggPlusNode.selfContext(roundId, j), true));
    }
    for (long j : shared) {
      if (survivors.contains(j)) {
        continue;
      }
      X25519KeyPair dropped = X25519KeyPair.fromPrivateKey(reconstruct(j, keys, keyHolders, false));
      for (long k : graph.holders(j)) {
        if (k == j || !survivors.contains(k)) {
          continue;
        }
        byte[] s =
            PairwiseSecret.derive(
                dropped, j, advertised.get(k).maskingKey(), k, SecAggPlusNode.maskPurpose(roundId));
        // k added +PRG if k < j, -PRG otherwise: remove the opposite.
        removal.add(MaskKey.derive(s, SecAggPlusNode.pairContext(roundId, k, j), k < j));
      }
    }
    MaskPrg.apply(removal, sum);
    return sum;
  }

  /** Nodes that dropped after sharing their keys (known after stage 3). */
  public Set<Long> dropped() {
    Set<Long> out = new TreeSet<>(shared);
    out.removeAll(survivors);
    return out;
  }

  private byte[] reconstruct(
      long owner, Map<Long, List<Shamir.Share>> all, Map<Long, List<Long>> holders, boolean seed)
      throws GeneralSecurityException {
    List<Shamir.Share> shares = all.getOrDefault(owner, List.of());
    String what = seed ? "self-mask seed" : "mask key";
    if (shares.size() < params.threshold()) {
      throw new RoundAbortedException(
          "only "
              + shares.size()
              + " shares of node "
              + owner
              + "'s "
              + what
              + " arrived; "
              + params.threshold()
              + " are needed");
    }
    int t = params.threshold();
    byte[] first = tryReconstruct(owner, shares.subList(0, t), seed);
    if (first != null) {
      return first;
    }
    List<Long> who = holders.get(owner);
    if (shares.size() > t) {
      for (int out = 0; out < shares.size(); out++) {
        List<Shamir.Share> rest = new ArrayList<>(shares);
        rest.remove(out);
        byte[] s = tryReconstruct(owner, rest.subList(0, t), seed);
        if (s != null) {
          throw new RoundAbortedException(
              "node "
                  + who.get(out)
                  + " revealed a wrong share of node "
                  + owner
                  + "'s "
                  + what
                  + "; the round is abandoned and that node should be excluded");
        }
      }
    }
    throw new RoundAbortedException(
        "the shares of node "
            + owner
            + "'s "
            + what
            + " from nodes "
            + who
            + " do not reconstruct it: one of them sent a wrong share");
  }

  private byte[] tryReconstruct(long owner, List<Shamir.Share> shares, boolean seed) {
    try {
      byte[] s = Shamir.reconstruct(shares, 32);
      if (seed) {
        return MessageDigest.isEqual(
                SecAggPlusNode.commitment(roundId, owner, s), commitments.get(owner))
            ? s
            : null;
      }
      return X25519KeyPair.fromPrivateKey(s).samePublicKey(advertised.get(owner).maskingKey())
          ? s
          : null;
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private void need(String stage, int answered) throws RoundAbortedException {
    if (answered < params.threshold()) {
      throw new RoundAbortedException(
          "SecAgg+ stage '"
              + stage
              + "': "
              + answered
              + " nodes answered, at least "
              + params.threshold()
              + " (the reconstruction threshold) are needed");
    }
  }
}
