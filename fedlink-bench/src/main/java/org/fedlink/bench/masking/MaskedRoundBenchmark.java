package org.fedlink.bench.masking;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.fedlink.crypto.masking.FixedPoint;
import org.fedlink.crypto.masking.LomParty;
import org.fedlink.crypto.masking.RingVector;
import org.fedlink.crypto.masking.SecAggPlusAggregator;
import org.fedlink.crypto.masking.SecAggPlusNode;
import org.fedlink.crypto.masking.SecAggPlusParams;

/**
 * Compute of one LOM or SecAgg+ round with every party in this JVM, one after the other on one
 * thread: each party's work is timed separately (thread CPU time) and summed ("compute in all"),
 * the way the peers' figures count it. Encoding the update is counted; producing the input data is
 * not; transport is not (see the end-to-end tests for that). Usage:
 *
 * <pre>
 * MaskedRoundBenchmark secagg+ NODES LENGTH NUM_SHARES THRESHOLD DROPPED [VALUE_BITS] [REPEATS]
 * MaskedRoundBenchmark lom NODES LENGTH [VALUE_BITS] [REPEATS] [first]
 * </pre>
 *
 * Every node has weight 1000 and the encoding is chosen as the researcher chooses it once the
 * weights are known (weight unit 1024; the sum promised the threshold's or all nodes' weights):
 * 32-bit lanes up to about 180 nodes at 16 value bits; {@code first} encodes as a LOM round whose
 * counts are not known yet (default max weight, 64-bit lanes). The first repeat runs cold (fresh
 * JVM, keys agreed); later ones warm.
 */
public final class MaskedRoundBenchmark {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long WEIGHT = 1000;
  private static final long UNIT = 1024; // the power of two at least every weight

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private MaskedRoundBenchmark() {}

  /**
   * CPU time of this thread: the parties run one after the other on it, so this is their compute,
   * unaffected by other processes taking the cores (the machine is shared).
   */
  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println(
          "usage: secagg+ NODES LENGTH NUM_SHARES THRESHOLD DROPPED [VALUE_BITS] [REPEATS] |"
              + " lom NODES LENGTH [VALUE_BITS] [REPEATS] [first]");
      System.exit(2);
    }
    int nodes = Integer.parseInt(args[1]);
    int length = Integer.parseInt(args[2]);
    float[] input = new float[length];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < length; i++) {
      input[i] = (float) (r.nextGaussian() * 0.1);
    }
    if (args[0].equals("lom")) {
      int bits = args.length > 3 ? Integer.parseInt(args[3]) : 16;
      int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 5;
      lom(nodes, input, bits, repeats, args.length > 5 && args[5].equals("first"));
    } else {
      int k = Integer.parseInt(args[3]);
      int t = Integer.parseInt(args[4]);
      int dropped = Integer.parseInt(args[5]);
      int bits = args.length > 6 ? Integer.parseInt(args[6]) : 16;
      int repeats = args.length > 7 ? Integer.parseInt(args[7]) : 3;
      for (int i = 0; i < repeats; i++) {
        secAggPlus(nodes, input, k, t, dropped, bits, i == 0 ? "cold" : "warm");
      }
    }
  }

  private static void lom(int n, float[] input, int bits, int repeats, boolean first)
      throws GeneralSecurityException {
    // A node's first LOM round: its count is not known yet, so the unit is the default max weight
    // and the sum is only known to be at least 1 (64-bit lanes), as the researcher does.
    FixedPoint f =
        first
            ? FixedPoint.of(3.0, bits, (1L << 20) - 1, 1, n)
            : FixedPoint.of(3.0, bits, UNIT, WEIGHT * n, n);
    List<LomParty> parties = new ArrayList<>();
    Map<Long, byte[]> keys = new TreeMap<>();
    long keygen = cpu();
    for (int i = 1; i <= n; i++) {
      LomParty p = new LomParty(i, "bench", RANDOM);
      parties.add(p);
      keys.put((long) i, p.publicKey());
    }
    keygen = cpu() - keygen;
    for (int rep = 0; rep < repeats; rep++) {
      long nodeMax = 0;
      long nodeSum = 0;
      RingVector sum = new RingVector(input.length, f.laneBits());
      long server = 0;
      for (LomParty p : parties) {
        long t0 = cpu();
        RingVector y = p.encodeAndProtect(f, input, WEIGHT, "round-" + rep, keys);
        long dt = cpu() - t0;
        nodeMax = Math.max(nodeMax, dt);
        nodeSum += dt;
        long s0 = cpu();
        sum.add(y);
        server += cpu() - s0;
      }
      long s0 = cpu();
      f.decodeMean(sum, n, WEIGHT * n);
      server += cpu() - s0;
      System.out.printf(
          Locale.ROOT,
          "lom %s nodes=%d length=%d lanes=%d: per node (max) %.3f s, all nodes %.3f s, researcher"
              + " %.3f s; added wait (one node + researcher) %.3f s; compute in all %.3f s%s%n",
          rep == 0 ? "cold" : "warm",
          n,
          input.length,
          f.laneBits(),
          nodeMax / 1e9,
          nodeSum / 1e9,
          server / 1e9,
          (nodeMax + server) / 1e9,
          (nodeSum + server) / 1e9,
          rep == 0 ? String.format(Locale.ROOT, " (key generation %.3f s)", keygen / 1e9) : "");
    }
  }

  private static void secAggPlus(
      int n, float[] input, int k, int t, int drop, int bits, String label)
      throws GeneralSecurityException {
    String round = "bench-" + System.nanoTime();
    SecAggPlusParams params = new SecAggPlusParams(k, t);
    FixedPoint f = FixedPoint.of(3.0, bits, UNIT, WEIGHT * t, n);
    long[] client = new long[5];
    long[] server = new long[5];
    Map<Long, SecAggPlusNode> nodes = new TreeMap<>();
    SecAggPlusAggregator agg = new SecAggPlusAggregator(round, params);
    long c0 = cpu();
    Map<Long, SecAggPlusNode.Advertisement> ads = new TreeMap<>();
    for (long i = 1; i <= n; i++) {
      SecAggPlusNode node = new SecAggPlusNode(i, round, params, RANDOM);
      nodes.put(i, node);
      ads.put(i, node.advertise());
    }
    client[1] = cpu() - c0;
    long s0 = cpu();
    agg.advertised(ads);
    server[1] = cpu() - s0;
    Map<Long, SecAggPlusNode.SharedKeys> shared = new LinkedHashMap<>();
    c0 = cpu();
    for (var e : nodes.entrySet()) {
      shared.put(e.getKey(), e.getValue().shareKeys(ads));
    }
    client[2] = cpu() - c0;
    s0 = cpu();
    Map<Long, Map<Long, byte[]>> inbox = agg.route(shared);
    server[2] = cpu() - s0;
    Set<Long> gone = new HashSet<>();
    for (long i = 1; gone.size() < drop; i += Math.max(1, n / Math.max(1, drop))) {
      gone.add(i);
    }
    Set<Long> survivors;
    long maskedBytes = 0;
    long summing = 0;
    // Stage 3 one node at a time, summing as inputs arrive, so memory holds one vector at a time.
    c0 = 0;
    for (var e : inbox.entrySet()) {
      if (gone.contains(e.getKey())) {
        continue;
      }
      long t0 = cpu();
      RingVector y = nodes.get(e.getKey()).maskInput(e.getValue(), f, input, WEIGHT);
      c0 += cpu() - t0;
      long a0 = cpu();
      agg.addMasked(e.getKey(), y);
      summing += cpu() - a0;
      maskedBytes += 8L * y.words().length;
    }
    client[3] = c0;
    s0 = cpu();
    survivors = agg.closeInputs();
    server[3] = cpu() - s0 + summing;
    Map<Long, List<SecAggPlusNode.Reveal>> reveals = new TreeMap<>();
    c0 = cpu();
    for (long i : survivors) {
      reveals.put(i, nodes.get(i).unmask(survivors));
    }
    client[4] = cpu() - c0;
    s0 = cpu();
    agg.unmask(reveals);
    server[4] = cpu() - s0;
    long clients = client[1] + client[2] + client[3] + client[4];
    long servers = server[1] + server[2] + server[3] + server[4];
    System.out.printf(
        Locale.ROOT,
        "secagg+ %s nodes=%d length=%d shares=%d threshold=%d dropped=%d lanes=%d: clients %.3f s"
            + " (keys %.3f, share %.3f, mask %.3f, unmask %.3f), server %.3f s (sum %.3f, unmask"
            + " %.3f); compute in all %.3f s; %d MB masked%n",
        label,
        n,
        input.length,
        k,
        t,
        drop,
        f.laneBits(),
        clients / 1e9,
        client[1] / 1e9,
        client[2] / 1e9,
        client[3] / 1e9,
        client[4] / 1e9,
        servers / 1e9,
        server[3] / 1e9,
        server[4] / 1e9,
        (clients + servers) / 1e9,
        maskedBytes >> 20);
  }
}
