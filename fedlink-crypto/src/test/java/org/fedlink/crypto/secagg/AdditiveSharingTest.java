package org.fedlink.crypto.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdditiveSharingTest {
  @Test
  void sharesSumToTheSecretForAnySign() {
    AdditiveSharing sharing = new AdditiveSharing(256, 128);
    SecureRandom random = TestBiprimes.seeded(1);
    for (int n = 2; n <= 8; n++) {
      BigInteger secret = new BigInteger(255, random);
      if (n % 2 == 0) {
        secret = secret.negate();
      }
      BigInteger[] shares = sharing.split(secret, n, random);
      assertThat(shares).hasSize(n);
      assertThat(AdditiveSharing.combine(shares)).isEqualTo(secret);
      for (int i = 0; i < n - 1; i++) {
        assertThat(shares[i].signum()).isNotNegative();
        assertThat(shares[i].bitLength()).isLessThanOrEqualTo(sharing.maskingBits());
      }
    }
  }

  @Test
  void seededRandomnessIsReproducible() {
    AdditiveSharing sharing = new AdditiveSharing(64, 64);
    BigInteger secret = BigInteger.valueOf(123456789);
    assertThat(sharing.split(secret, 4, TestBiprimes.seeded(5)))
        .containsExactly(sharing.split(secret, 4, TestBiprimes.seeded(5)));
    assertThat(sharing.split(secret, 4, TestBiprimes.seeded(5)))
        .isNotEqualTo(sharing.split(secret, 4, TestBiprimes.seeded(6)));
  }

  @Test
  void properSubsetDoesNotRevealTheSecret() {
    // Same randomness, two different secrets: the first n-1 shares are identical, so they carry
    // nothing about the secret; only the last share differs.
    AdditiveSharing sharing = new AdditiveSharing(128, 128);
    BigInteger[] a = sharing.split(BigInteger.valueOf(1), 3, TestBiprimes.seeded(9));
    BigInteger[] b = sharing.split(BigInteger.valueOf(-99999), 3, TestBiprimes.seeded(9));
    assertThat(a[0]).isEqualTo(b[0]);
    assertThat(a[1]).isEqualTo(b[1]);
    assertThat(a[2]).isNotEqualTo(b[2]);
  }

  @Test
  void exchangedSharesYieldTheAggregatorKey() {
    JoyeLibert jl = new JoyeLibert(TestBiprimes.n1024());
    AdditiveSharing sharing = AdditiveSharing.forKeys(jl);
    SecureRandom random = TestBiprimes.seeded(2);
    int nodes = 4;
    List<JoyeLibertKey> keys = new ArrayList<>();
    BigInteger[][] sent = new BigInteger[nodes][];
    for (int i = 0; i < nodes; i++) {
      keys.add(jl.generateKey(random));
      sent[i] = sharing.split(keys.get(i).exponent(), nodes, random);
    }
    List<BigInteger> receivedSums = new ArrayList<>();
    for (int j = 0; j < nodes; j++) {
      BigInteger sum = BigInteger.ZERO;
      for (int i = 0; i < nodes; i++) {
        sum = sum.add(sent[i][j]);
      }
      receivedSums.add(sum);
    }
    assertThat(JoyeLibertKey.aggregatorKey(receivedSums))
        .isEqualTo(JoyeLibertTest.aggregatorKey(keys));
  }

  @Test
  void rejectsOversizedSecretAndSingleShare() {
    AdditiveSharing sharing = new AdditiveSharing(8, 64);
    SecureRandom random = TestBiprimes.seeded(3);
    assertThatThrownBy(() -> sharing.split(BigInteger.valueOf(256), 2, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9 bits exceeds the configured 8 bits");
    assertThatThrownBy(() -> sharing.split(BigInteger.ONE, 1, random))
        .hasMessageContaining("n = 1");
    assertThatThrownBy(() -> new AdditiveSharing(8, 10)).hasMessageContaining(">= 40");
  }
}
