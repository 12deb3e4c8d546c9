package org.fedlink.crypto.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SecAgg+ neighbour graph of a round: the participants are placed on a ring in an order drawn
 * from the round id (HMAC-SHA256 of each node id under the round id), and each node's holders are
 * itself and its (k-1)/2 nearest on each side; with k equal to the number of nodes every node holds
 * shares of everyone. Every party computes the same graph from the round id and the list of nodes
 * that advertised keys. Each node also has a share abscissa, its 1-based position in the sorted id
 * list. Immutable.
 */
public final class NeighborGraph {
  private final List<Long> sorted;
  private final Map<Long, Set<Long>> holders = new HashMap<>();

  /**
   * @throws IllegalArgumentException if the parameters are unsafe for this many nodes
   */
  public NeighborGraph(String roundId, Collection<Long> nodes, SecAggPlusParams params) {
    this.sorted = new ArrayList<>(new java.util.TreeSet<>(nodes));
    int n = sorted.size();
    int k = params.check(n);
    List<Long> ring = new ArrayList<>(sorted);
    Map<Long, byte[]> rank = new HashMap<>();
    for (long id : sorted) {
      rank.put(id, hmac(roundId, id));
    }
    ring.sort(Comparator.comparing(rank::get, Arrays::compareUnsigned));
    int h = (k - 1) / 2;
    for (int i = 0; i < n; i++) {
      Set<Long> s = new LinkedHashSet<>();
      if (k == n) {
        s.addAll(sorted);
      } else {
        for (int d = -h; d <= h; d++) {
          s.add(ring.get(Math.floorMod(i + d, n)));
        }
      }
      holders.put(ring.get(i), Set.copyOf(s));
    }
  }

  /** The holders of {@code node}'s shares, itself included; empty for a node not in the graph. */
  public Set<Long> holders(long node) {
    return holders.getOrDefault(node, Set.of());
  }

  /** True if {@code a} and {@code b} are neighbours (or the same node). */
  public boolean adjacent(long a, long b) {
    return holders(a).contains(b);
  }

  /** The share abscissa of {@code node}: 1 + its index among the sorted ids. */
  public int x(long node) {
    int i = java.util.Collections.binarySearch(sorted, node);
    if (i < 0) {
      throw new IllegalArgumentException("node " + node + " is not in the round");
    }
    return i + 1;
  }

  public List<Long> nodes() {
    return List.copyOf(sorted);
  }

  private static byte[] hmac(String roundId, long id) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(
          new SecretKeySpec(
              ("fedlink/secagg+/graph/" + roundId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return m.doFinal(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
