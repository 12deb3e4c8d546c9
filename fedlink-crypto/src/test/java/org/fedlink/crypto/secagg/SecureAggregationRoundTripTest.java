package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encode, mask, encrypt, aggregate, decrypt and decode, as a federation round does. */
class SecureAggregationRoundTripTest {
  private static final JoyeLibert JL = new JoyeLibert(TestBiprimes.n1024());
  private static final double R = 2.0;

  /** One simulated round: everything the researcher gets back. */
  private record Round(
      VectorEncoder encoder,
      List<float[]> updates,
      long[] weights,
      List<BigInteger[]> ciphertexts,
      List<JoyeLibertKey> keys,
      Guard guard) {}

  private static Round round(int nodes, int length, int valueBits, long seed) throws Exception {
    SecureRandom random = TestBiprimes.seeded(seed);
    BitBudget budget = BitBudget.of(1024, R, valueBits, 5000, nodes);
    VectorEncoder encoder = new VectorEncoder(budget, length);
    Guard guard = Guard.random(budget, random);
    List<float[]> updates = new ArrayList<>();
    long[] weights = new long[nodes];
    List<BigInteger[]> ciphertexts = new ArrayList<>();
    List<JoyeLibertKey> keys = new ArrayList<>();
    try (Masks masks = new Masks(JL, 2)) {
      for (int i = 0; i < nodes; i++) {
        float[] update = new float[length];
        for (int k = 0; k < length; k++) {
          // Values up to 1.5 R, and exact edges, so clipping is exercised.
          update[k] = (float) ((random.nextDouble() * 3 - 1.5) * R);
        }
        update[0] = (float) R;
        update[1] = (float) -R;
        update[2] = Float.POSITIVE_INFINITY;
        update[3] = -1e30f;
        weights[i] = 1 + random.nextInt(5000);
        JoyeLibertKey key = JL.generateKey(random);
        BigInteger[] m = masks.computeMasks(key, seed, encoder.plaintextCount());
        ciphertexts.add(JL.encrypt(encoder.encode(update, weights[i], guard), m));
        updates.add(update);
        keys.add(key);
      }
    }
    return new Round(encoder, updates, weights, ciphertexts, keys, guard);
  }

  private static float[] decryptAndDecode(Round r, long roundId, int nodes) throws Exception {
    JoyeLibertKey sk0 = JoyeLibertTest.aggregatorKey(r.keys().subList(0, nodes));
    BigInteger[] sums = JL.decrypt(sk0, roundId, JL.aggregate(r.ciphertexts().subList(0, nodes)));
    long total = 0;
    for (int i = 0; i < nodes; i++) {
      total += r.weights()[i];
    }
    return r.encoder().decode(sums, nodes, total, r.guard());
  }

  @Test
  void recoversWeightedMeanWithinQuantizationErrorFor2To10Nodes() throws Exception {
    for (int nodes = 2; nodes <= 10; nodes++) {
      int valueBits = nodes % 2 == 0 ? 16 : 8;
      Round r = round(nodes, 70, valueBits, 100 + nodes);
      float[] mean = decryptAndDecode(r, 100 + nodes, nodes);
      double tolerance = r.encoder().budget().maxQuantizationError();
      double totalWeight = 0;
      for (long w : r.weights()) {
        totalWeight += w;
      }
      for (int k = 0; k < 70; k++) {
        double expected = 0;
        for (int i = 0; i < nodes; i++) {
          double clipped = Math.max(-R, Math.min(R, r.updates().get(i)[k]));
          expected += r.weights()[i] * clipped / totalWeight;
        }
        assertThat((double) mean[k])
            .as("nodes %d value %d", nodes, k)
            .isCloseTo(expected, within(tolerance));
      }
    }
  }

  @Test
  void guardCatchesAConsistentAggregateOfTooFewNodes() throws Exception {
    Round r = round(3, 30, 16, 7);
    // Two nodes' ciphertexts with the matching aggregator key decrypt fine under Joye-Libert...
    JoyeLibertKey sk0 = JoyeLibertTest.aggregatorKey(r.keys().subList(0, 2));
    BigInteger[] sums = JL.decrypt(sk0, 7, JL.aggregate(r.ciphertexts().subList(0, 2)));
    long total = r.weights()[0] + r.weights()[1] + r.weights()[2];
    // ...but the researcher expects three contributions.
    assertThatThrownBy(() -> r.encoder().decode(sums, 3, total, r.guard()))
        .isInstanceOf(AggregationIntegrityException.class)
        .hasMessageContaining("guard slot of plaintext 0");
  }

  @Test
  void guardCatchesHomomorphicAlterationOfTheGuardSlot() throws Exception {
    Round r = round(2, 30, 16, 8);
    BitBudget budget = r.encoder().budget();
    BigInteger n = JL.biprime().modulus();
    int guardOffset = budget.dataSlotsPerPlaintext() * budget.slotBits();
    // c * (1 + dN) adds d to the plaintext without breaking V = 1 mod N.
    BigInteger d = BigInteger.ONE.shiftLeft(guardOffset);
    BigInteger[] tampered = r.ciphertexts().get(1).clone();
    tampered[0] = tampered[0].multiply(BigInteger.ONE.add(d.multiply(n))).mod(n.multiply(n));
    r.ciphertexts().set(1, tampered);
    assertThatThrownBy(() -> decryptAndDecode(r, 8, 2))
        .isInstanceOf(AggregationIntegrityException.class)
        .hasMessageContaining("guard slot");
  }

  @Test
  void rejectsAlterationThatOverflowsTheLayout() throws Exception {
    Round r = round(2, 30, 16, 9);
    BitBudget budget = r.encoder().budget();
    BigInteger n = JL.biprime().modulus();
    BigInteger d = BigInteger.ONE.shiftLeft(budget.slotsPerPlaintext() * budget.slotBits());
    BigInteger[] tampered = r.ciphertexts().get(0).clone();
    tampered[0] = tampered[0].multiply(BigInteger.ONE.add(d.multiply(n))).mod(n.multiply(n));
    r.ciphertexts().set(0, tampered);
    assertThatThrownBy(() -> decryptAndDecode(r, 9, 2))
        .isInstanceOf(AggregationIntegrityException.class)
        .hasMessageContaining("plaintext sum 0");
  }

  @Test
  void missingCiphertextFailsDecryption() throws Exception {
    Round r = round(3, 30, 16, 10);
    BigInteger[] partial = r.ciphertexts().get(2).clone();
    partial[0] = BigInteger.ONE;
    r.ciphertexts().set(2, partial);
    assertThatThrownBy(() -> decryptAndDecode(r, 10, 3))
        .isInstanceOf(AggregationIntegrityException.class)
        .hasMessageContaining("does not decrypt");
  }
}
