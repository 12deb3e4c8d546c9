package org.fedlink.crypto.masking;

/**
 * The SecAgg+ parameters of a round: each node's secrets are Shamir-shared among {@code numShares}
 * holders (itself and its neighbours in a k-regular graph; 0, or any value at least the number of
 * participants, means all of them), any {@code threshold} of which reconstruct a secret. Checked
 * for safety against the number of participants by {@link #check(int)}. Immutable.
 *
 * @param numShares k, holders per node including itself (0 = all)
 * @param threshold t, shares needed to reconstruct
 */
public record SecAggPlusParams(int numShares, int threshold) {
  /**
   * The effective number of holders among {@code participants} nodes.
   *
   * @throws IllegalArgumentException with a message naming the rule broken and the fix
   */
  public int check(int participants) {
    if (participants < 2) {
      throw new IllegalArgumentException(
          "secure aggregation needs at least 2 nodes; " + participants + " took part");
    }
    int k = numShares <= 0 || numShares >= participants ? participants : numShares;
    if (k < participants && (k < 3 || k % 2 == 0)) {
      throw new IllegalArgumentException(
          "num_shares "
              + numShares
              + " with "
              + participants
              + " nodes: it must be odd and at least 3 (itself and (k-1)/2 neighbours on each"
              + " side of a ring), or 0 for all nodes");
    }
    if (threshold < 2) {
      throw new IllegalArgumentException(
          "reconstruction_threshold "
              + threshold
              + " must be at least 2: with 1, any single node could reveal another's mask");
    }
    if (threshold > k) {
      throw new IllegalArgumentException(
          "reconstruction_threshold "
              + threshold
              + " exceeds the "
              + k
              + " holders of each secret (num_shares "
              + numShares
              + ", "
              + participants
              + " nodes): no secret could ever be reconstructed; lower it or raise num_shares");
    }
    if (2 * threshold < k) {
      throw new IllegalArgumentException(
          "reconstruction_threshold "
              + threshold
              + " is unsafe with "
              + k
              + " holders: the aggregator could gather "
              + threshold
              + " shares of a node's mask seed and "
              + threshold
              + " of its key from distinct holders and unmask its update; use at least "
              + ((k + 1) / 2));
    }
    return k;
  }

  /** How many dropouts a round with {@code participants} nodes survives. */
  public int toleratedDropouts(int participants) {
    return check(participants) - threshold;
  }
}
