package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JoyeLibertTest {
  private static final BigInteger TINY_N = BigInteger.valueOf(11 * 13);

  /** H substituted by fixed units of Z*_{143^2}: 5, 7, 21 for indices 0, 1, 2. */
  private static JoyeLibert tinyScheme() {
    int[] table = {5, 7, 21};
    return new JoyeLibert(Biprime.unvalidated(TINY_N), (round, index) -> big(table[index]));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  @Test
  void matchesHandComputedCiphertextsOnTinyModulus() throws Exception {
    // Values computed independently with Python's pow(): c = (1 + x N) h^sk mod N^2.
    JoyeLibert jl = tinyScheme();
    JoyeLibertKey sk1 = JoyeLibertKey.of(big(1234));
    JoyeLibertKey sk2 = JoyeLibertKey.of(big(987));
    BigInteger[] c1 = {jl.encrypt(sk1, 9, 0, big(17)), jl.encrypt(sk1, 9, 1, big(100))};
    BigInteger[] c2 = {jl.encrypt(sk2, 9, 0, big(40)), jl.encrypt(sk2, 9, 1, big(42))};
    assertThat(c1).containsExactly(big(5498), big(13368));
    assertThat(c2).containsExactly(big(9628), big(6518));

    BigInteger[] aggregate = jl.aggregate(List.of(c1, c2));
    assertThat(aggregate).containsExactly(big(12732), big(19884));

    JoyeLibertKey sk0 = JoyeLibertKey.aggregatorKey(List.of(big(1234), big(987)));
    assertThat(sk0.exponent()).isEqualTo(big(-2221));
    assertThat(jl.decrypt(sk0, 9, aggregate)).containsExactly(big(57), big(142));
  }

  @Test
  void fastEncryptionEqualsTextbookFormula() {
    JoyeLibert jl = new JoyeLibert(TestBiprimes.n1024());
    BigInteger n = jl.biprime().modulus();
    BigInteger n2 = n.multiply(n);
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      BigInteger x = new BigInteger(n.bitLength() - 1, random);
      BigInteger mask = new BigInteger(n2.bitLength() - 1, random);
      BigInteger expected = BigInteger.ONE.add(x.multiply(n)).multiply(mask).mod(n2);
      assertThat(jl.encrypt(x, mask)).isEqualTo(expected);
    }
  }

  @Test
  void fullDomainHashMatchesIndependentImplementation() {
    // Low 128 bits of H(3, 5) and H(-1, 0) for the shipped 1024-bit biprime, from Python hashlib.
    FullDomainHash h = new FullDomainHash(TestBiprimes.n1024().modulus());
    BigInteger low = BigInteger.ONE.shiftLeft(128);
    assertThat(h.hash(3, 5).mod(low).toString(16)).isEqualTo("4a59b6b462f221656a7d48e4e70876ec");
    assertThat(h.hash(-1, 0).mod(low).toString(16)).isEqualTo("92f55aa922956df852d4f1acc16a798c");
    assertThat(h.hash(3, 5)).isNotEqualTo(h.hash(3, 6)).isNotEqualTo(h.hash(4, 5));
  }

  @Test
  void roundTripsThreeNodesWithRealHash() throws Exception {
    JoyeLibert jl = new JoyeLibert(TestBiprimes.n1024());
    SecureRandom random = TestBiprimes.seeded(11);
    List<JoyeLibertKey> keys = List.of(jl.generateKey(random), jl.generateKey(random));
    BigInteger[] x1 = {big(1), big(0), big(123456789)};
    BigInteger[] x2 = {big(2), big(5), big(1)};
    BigInteger[] aggregate =
        jl.aggregate(List.of(encrypt(jl, keys.get(0), 42, x1), encrypt(jl, keys.get(1), 42, x2)));
    BigInteger[] sums = jl.decrypt(aggregatorKey(keys), 42, aggregate);
    assertThat(sums).containsExactly(big(3), big(5), big(123456790));
  }

  @Test
  void detectsMissingAlteredAndWrongRoundCiphertexts() {
    JoyeLibert jl = new JoyeLibert(TestBiprimes.n1024());
    SecureRandom random = TestBiprimes.seeded(12);
    List<JoyeLibertKey> keys = List.of(jl.generateKey(random), jl.generateKey(random));
    BigInteger[] x = {big(1), big(2)};
    BigInteger[] c1 = encrypt(jl, keys.get(0), 1, x);
    BigInteger[] c2 = encrypt(jl, keys.get(1), 1, x);
    JoyeLibertKey sk0 = aggregatorKey(keys);

    BigInteger[] missing = jl.aggregate(List.of(c1, new BigInteger[] {c2[0], BigInteger.ONE}));
    assertThatThrownBy(() -> jl.decrypt(sk0, 1, missing))
        .isInstanceOf(AggregationIntegrityException.class)
        .hasMessageContaining("ciphertext 1 of 2");

    BigInteger[] altered = c2.clone();
    altered[0] = altered[0].add(BigInteger.ONE);
    assertThatThrownBy(() -> jl.decrypt(sk0, 1, jl.aggregate(List.of(c1, altered))))
        .isInstanceOf(AggregationIntegrityException.class);

    BigInteger[] otherRound = encrypt(jl, keys.get(1), 2, x);
    assertThatThrownBy(() -> jl.decrypt(sk0, 1, jl.aggregate(List.of(c1, otherRound))))
        .isInstanceOf(AggregationIntegrityException.class);

    BigInteger[] swapped = {c2[1], c2[0]};
    assertThatThrownBy(() -> jl.decrypt(sk0, 1, jl.aggregate(List.of(c1, swapped))))
        .isInstanceOf(AggregationIntegrityException.class);
  }

  @Test
  void parallelMasksEqualSequentialMasks() {
    JoyeLibert jl = new JoyeLibert(TestBiprimes.n1024());
    JoyeLibertKey key = jl.generateKey(TestBiprimes.seeded(13));
    JoyeLibertKey negative = JoyeLibertKey.of(key.exponent().negate());
    try (Masks masks = new Masks(jl, 2)) {
      BigInteger[] computed = masks.computeMasks(key, 5, 20);
      BigInteger[] inverse = masks.computeMasks(negative, 5, 20);
      BigInteger n2 = jl.biprime().modulus().pow(2);
      for (int j = 0; j < 20; j++) {
        assertThat(computed[j]).isEqualTo(jl.mask(key, 5, j));
        assertThat(computed[j].multiply(inverse[j]).mod(n2)).isEqualTo(BigInteger.ONE);
      }
    }
  }

  @Test
  void rejectsPlaintextOutsideModulus() {
    JoyeLibert jl = new JoyeLibert(TestBiprimes.n1024());
    BigInteger n = jl.biprime().modulus();
    assertThatThrownBy(() -> jl.encrypt(n, BigInteger.TWO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside [0, N)");
    assertThatThrownBy(() -> jl.encrypt(big(-1), BigInteger.TWO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> jl.encrypt(BigInteger.ONE, n.multiply(n)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mask is outside");
  }

  @Test
  void roundTripsWith2048BitModulus() throws Exception {
    JoyeLibert jl = new JoyeLibert(Biprime.defaultBiprime(2048));
    SecureRandom random = TestBiprimes.seeded(14);
    List<JoyeLibertKey> keys = List.of(jl.generateKey(random), jl.generateKey(random));
    BigInteger big = BigInteger.ONE.shiftLeft(2000);
    BigInteger[] aggregate =
        jl.aggregate(
            List.of(
                encrypt(jl, keys.get(0), 0, new BigInteger[] {big}),
                encrypt(jl, keys.get(1), 0, new BigInteger[] {big})));
    assertThat(jl.decrypt(aggregatorKey(keys), 0, aggregate)).containsExactly(big.shiftLeft(1));
  }

  static BigInteger[] encrypt(JoyeLibert jl, JoyeLibertKey key, long round, BigInteger[] x) {
    BigInteger[] c = new BigInteger[x.length];
    for (int j = 0; j < x.length; j++) {
      c[j] = jl.encrypt(key, round, j, x[j]);
    }
    return c;
  }

  static JoyeLibertKey aggregatorKey(List<JoyeLibertKey> keys) {
    return JoyeLibertKey.aggregatorKey(keys.stream().map(JoyeLibertKey::exponent).toList());
  }
}
