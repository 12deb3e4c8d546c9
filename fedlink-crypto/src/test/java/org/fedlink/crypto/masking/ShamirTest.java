package org.fedlink.crypto.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShamirTest {
  private static final BigInteger P = BigInteger.valueOf(Shamir.P);

  @Test
  void fieldMultiplicationMatchesBigInteger() {
    Random r = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long a = (r.nextLong() & Shamir.P) % Shamir.P;
      long b = i < 10 ? Shamir.P - 1 : (r.nextLong() & Shamir.P) % Shamir.P;
      long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(P).longValueExact();
      assertThat(Shamir.mul(a, b)).isEqualTo(expected);
    }
    assertThat(Shamir.mul(Shamir.inverse(12345), 12345)).isEqualTo(1);
  }

  @Test
  void anyThresholdSubsetReconstructsAndFewerDoNot() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    int[] xs = {1, 2, 3, 5, 8, 13, 21};
    Shamir.Share[] shares = Shamir.split(secret, xs, 4, random);
    List<Shamir.Share> all = new ArrayList<>(List.of(shares));
    for (int trial = 0; trial < 20; trial++) {
      Collections.shuffle(all, new Random(trial));
      assertThat(Shamir.reconstruct(all.subList(0, 4), 32)).isEqualTo(secret);
      assertThat(Shamir.reconstruct(all, 32)).isEqualTo(secret);
    }
    byte[] fromThree;
    try {
      fromThree = Shamir.reconstruct(all.subList(0, 3), 32);
    } catch (GeneralSecurityException e) {
      fromThree = null; // a chunk overflowed 7 bytes: detected as wrong
    }
    assertThat(fromThree).isNotEqualTo(secret);
  }

  @Test
  void refusesRepeatedHoldersAndBadThresholds() {
    SecureRandom random = new SecureRandom();
    assertThatThrownBy(() -> Shamir.split(new byte[32], new int[] {1, 1, 2}, 2, random))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> Shamir.split(new byte[32], new int[] {1, 2}, 3, random))
        .hasMessageContaining("threshold 3");
  }
}
