package org.fedlink.crypto.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every party of a SecAgg+ round run directly in one JVM, the aggregator routing their messages.
 */
class SecAggPlusProtocolTest {
  private static final int LENGTH = 1_000;
  private final SecureRandom random = new SecureRandom();

  /** A round's parties and inputs; drop sets say who vanishes after which stage. */
  private final class Round {
    final String id;
    final SecAggPlusParams params;
    final FixedPoint f;
    final Map<Long, SecAggPlusNode> nodes = new TreeMap<>();
    final Map<Long, float[]> inputs = new TreeMap<>();
    final Map<Long, Long> weights = new TreeMap<>();
    final SecAggPlusAggregator agg;

    Round(String id, int n, int shares, int threshold) {
      this.id = id;
      this.params = new SecAggPlusParams(shares, threshold);
      this.f = FixedPoint.of(3.0, 16, 128, threshold, n); // weights 1..100, >= threshold summed
      this.agg = new SecAggPlusAggregator(id, params);
      Random r = new Random(n * 31L + shares);
      for (long i = 1; i <= n; i++) {
        nodes.put(i, new SecAggPlusNode(i, id, params, random));
        float[] x = new float[LENGTH];
        for (int k = 0; k < LENGTH; k++) {
          x[k] = (float) r.nextGaussian();
        }
        inputs.put(i, x);
        weights.put(i, 1 + (long) r.nextInt(100));
      }
    }

    /** Runs the round; returns the decoded mean and checks it against the survivors' plain mean. */
    float[] run(Set<Long> dropAfter1, Set<Long> dropAfter2, Set<Long> dropAfter3)
        throws GeneralSecurityException {
      Map<Long, SecAggPlusNode.Advertisement> ads = new TreeMap<>();
      nodes.forEach((i, n) -> ads.put(i, n.advertise()));
      agg.advertised(ads);
      Map<Long, SecAggPlusNode.SharedKeys> shared = new TreeMap<>();
      for (var e : nodes.entrySet()) {
        if (!dropAfter1.contains(e.getKey())) {
          shared.put(e.getKey(), e.getValue().shareKeys(ads));
        }
      }
      Map<Long, Map<Long, byte[]>> routed = agg.route(shared);
      Map<Long, RingVector> masked = new TreeMap<>();
      for (var e : routed.entrySet()) {
        long i = e.getKey();
        if (!dropAfter2.contains(i)) {
          masked.put(
              i, nodes.get(i).maskInput(e.getValue(), f.encode(inputs.get(i), weights.get(i))));
        }
      }
      Set<Long> survivors = agg.masked(masked);
      Map<Long, List<SecAggPlusNode.Reveal>> reveals = new TreeMap<>();
      for (long i : survivors) {
        if (!dropAfter3.contains(i)) {
          reveals.put(i, nodes.get(i).unmask(survivors));
        }
      }
      RingVector sum = agg.unmask(reveals);
      long total = 0;
      for (long i : survivors) {
        total += weights.get(i);
      }
      float[] mean = f.decodeMean(sum, survivors.size(), total);
      for (int k = 0; k < LENGTH; k++) {
        double exact = 0;
        for (long i : survivors) {
          exact += Math.max(-3, Math.min(3, inputs.get(i)[k])) * weights.get(i);
        }
        assertThat(Math.abs(mean[k] - exact / total)).isLessThanOrEqualTo(f.bound(total) + 1e-6);
      }
      return mean;
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 3, 2", "10, 0, 5", "100, 5, 3"})
  void sumOfSurvivorsIsExact(int n, int shares, int threshold) throws GeneralSecurityException {
    new Round("r-" + n, n, shares, threshold).run(Set.of(), Set.of(), Set.of());
  }

  @Test
  void survivesDropoutsAfterEachStage() throws GeneralSecurityException {
    // 10 nodes, 5 holders each, threshold 3: a node's secrets survive 2 missing holders.
    new Round("d1", 10, 5, 3).run(Set.of(4L), Set.of(), Set.of());
    new Round("d2", 10, 5, 3).run(Set.of(), Set.of(2L, 7L), Set.of());
    new Round("d3", 10, 5, 3).run(Set.of(), Set.of(), Set.of(9L));
    new Round("d4", 10, 0, 5).run(Set.of(1L), Set.of(2L, 3L), Set.of(4L, 5L));
  }

  @Test
  void tenOfAHundredDroppedAfterSharingKeys() throws GeneralSecurityException {
    Set<Long> ten = Set.of(3L, 11L, 19L, 27L, 35L, 43L, 51L, 59L, 67L, 75L);
    // 21 holders, threshold 11: even if all ten fall in one neighbourhood, 11 holders remain.
    new Round("h", 100, 21, 11).run(Set.of(), ten, Set.of());
  }

  @Test
  void belowTheThresholdFailsNamingAnsweredAndNeeded() {
    Round r = new Round("low", 10, 3, 2);
    // Neighbours 1's two holders gone after sharing: its key cannot be rebuilt... use a global cut.
    assertThatThrownBy(() -> new Round("low2", 5, 0, 4).run(Set.of(), Set.of(1L, 2L), Set.of()))
        .hasMessageContaining("3 nodes answered, at least 4");
    assertThat(r.params.toleratedDropouts(10)).isEqualTo(1);
  }

  @Test
  void aNodeThatLiesAboutAShareIsNamed() throws GeneralSecurityException {
    Round r = new Round("liar", 10, 0, 5);
    Map<Long, SecAggPlusNode.Advertisement> ads = new TreeMap<>();
    r.nodes.forEach((i, n) -> ads.put(i, n.advertise()));
    r.agg.advertised(ads);
    Map<Long, SecAggPlusNode.SharedKeys> shared = new TreeMap<>();
    r.nodes.forEach(
        (i, n) -> {
          try {
            shared.put(i, n.shareKeys(ads));
          } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
          }
        });
    Map<Long, Map<Long, byte[]>> routed = r.agg.route(shared);
    Map<Long, RingVector> masked = new TreeMap<>();
    for (var e : routed.entrySet()) {
      masked.put(
          e.getKey(),
          r.nodes.get(e.getKey()).maskInput(e.getValue(), r.f.encode(r.inputs.get(e.getKey()), 1)));
    }
    Set<Long> survivors = r.agg.masked(masked);
    Map<Long, List<SecAggPlusNode.Reveal>> reveals = new TreeMap<>();
    for (long i : survivors) {
      List<SecAggPlusNode.Reveal> mine = new ArrayList<>(r.nodes.get(i).unmask(survivors));
      if (i == 1) { // node 1 alters its share of node 5's seed
        for (int k = 0; k < mine.size(); k++) {
          SecAggPlusNode.Reveal v = mine.get(k);
          if (v.owner() == 5) {
            long[] bad = v.share().values().clone();
            bad[0] = (bad[0] + 1) % Shamir.P;
            mine.set(k, new SecAggPlusNode.Reveal(5, true, new Shamir.Share(v.share().x(), bad)));
          }
        }
      }
      reveals.put(i, mine);
    }
    assertThatThrownBy(() -> r.agg.unmask(reveals))
        .hasMessageContaining("node 1 revealed a wrong share of node 5");
  }

  @Test
  void aShareReplayedFromAnotherRoundDoesNotOpen() throws GeneralSecurityException {
    Round one = new Round("one", 5, 0, 3);
    Round two = new Round("two", 5, 0, 3);
    Map<Long, SecAggPlusNode.Advertisement> ads1 = new TreeMap<>();
    one.nodes.forEach((i, n) -> ads1.put(i, n.advertise()));
    Map<Long, SecAggPlusNode.Advertisement> ads2 = new TreeMap<>();
    two.nodes.forEach((i, n) -> ads2.put(i, n.advertise()));
    byte[] old = one.nodes.get(2L).shareKeys(ads1).sealed().get(1L);
    SecAggPlusNode.SharedKeys fresh = two.nodes.get(2L).shareKeys(ads2);
    two.nodes.get(1L).shareKeys(ads2);
    Map<Long, byte[]> tampered = new LinkedHashMap<>(Map.of(2L, old));
    assertThatThrownBy(() -> two.nodes.get(1L).maskInput(tampered, new RingVector(LENGTH, 32)))
        .isInstanceOf(javax.crypto.AEADBadTagException.class);
    assertThat(fresh.sealed()).containsKey(1L);
  }

  @Test
  void aNodeRevealsOnceAndNeverBothKindsForOnePeer() throws GeneralSecurityException {
    Round r = new Round("once", 5, 0, 3);
    Map<Long, SecAggPlusNode.Advertisement> ads = new TreeMap<>();
    r.nodes.forEach((i, n) -> ads.put(i, n.advertise()));
    Map<Long, SecAggPlusNode.SharedKeys> shared = new TreeMap<>();
    for (var e : r.nodes.entrySet()) {
      shared.put(e.getKey(), e.getValue().shareKeys(ads));
    }
    r.agg.advertised(ads);
    Map<Long, Map<Long, byte[]>> routed = r.agg.route(shared);
    SecAggPlusNode one = r.nodes.get(1L);
    one.maskInput(routed.get(1L), new RingVector(LENGTH, r.f.laneBits()));
    List<SecAggPlusNode.Reveal> first = one.unmask(Set.of(1L, 2L, 3L));
    assertThat(first).extracting(SecAggPlusNode.Reveal::seed).contains(true, false);
    assertThat(first).extracting(SecAggPlusNode.Reveal::owner).doesNotHaveDuplicates();
    assertThatThrownBy(() -> one.unmask(Set.of(1L, 4L, 5L)))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "10, 4, 2, odd",
    "10, 1, 2, odd",
    "10, 5, 1, at least 2",
    "10, 3, 4, exceeds",
    "10, 0, 4, unsafe",
    "100, 9, 4, unsafe"
  })
  void unsafeParametersAreRefused(int n, int shares, int threshold, String why) {
    assertThatThrownBy(() -> new SecAggPlusParams(shares, threshold).check(n))
        .hasMessageContaining(why);
  }
}
