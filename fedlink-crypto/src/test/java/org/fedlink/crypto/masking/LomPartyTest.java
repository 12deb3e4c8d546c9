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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LomPartyTest {
  private final SecureRandom random = new SecureRandom();

  @ParameterizedTest
  @ValueSource(ints = {10, 100})
  void maskedSumEqualsThePlainWeightedMeanWithinTheBound(int nodes)
      throws GeneralSecurityException {
    int length = 2_000;
    FixedPoint f = FixedPoint.of(3.0, 16, 1024, nodes, nodes); // weights 1..1000
    List<LomParty> parties = new ArrayList<>();
    Map<Long, byte[]> keys = new LinkedHashMap<>();
    for (int i = 0; i < nodes; i++) {
      LomParty p = new LomParty(100 + i, "session-1", random);
      parties.add(p);
      keys.put(p.id(), p.publicKey());
    }
    Random r = new Random(nodes);
    float[][] x = new float[nodes][length];
    long[] w = new long[nodes];
    RingVector sum = new RingVector(length, f.laneBits());
    long total = 0;
    for (int i = 0; i < nodes; i++) {
      for (int k = 0; k < length; k++) {
        x[i][k] = (float) r.nextGaussian();
      }
      w[i] = 1 + r.nextInt(1000);
      total += w[i];
      RingVector y = parties.get(i).protect(f.encode(x[i], w[i]), "round-1", keys);
      assertThat(y).isNotEqualTo(f.encode(x[i], w[i])); // masked
      sum.add(y);
    }
    float[] mean = f.decodeMean(sum, nodes, total);
    for (int k = 0; k < length; k++) {
      double exact = 0;
      for (int i = 0; i < nodes; i++) {
        exact += Math.max(-3, Math.min(3, x[i][k])) * w[i];
      }
      assertThat(Math.abs(mean[k] - exact / total)).isLessThanOrEqualTo(f.bound(total) + 1e-6);
    }
  }

  @Test
  void aLaterRoundWithoutOneNodeNeedsNoNewAgreementAndStillCancels()
      throws GeneralSecurityException {
    FixedPoint f = FixedPoint.of(1.0, 12, 16, 4, 4);
    List<LomParty> parties = new ArrayList<>();
    Map<Long, byte[]> keys = new LinkedHashMap<>();
    for (int i = 1; i <= 4; i++) {
      LomParty p = new LomParty(i, "s", random);
      parties.add(p);
      keys.put((long) i, p.publicKey());
    }
    for (LomParty p : parties) {
      p.protect(f.encode(new float[8], 1), "r1", keys);
    }
    keys.remove(4L);
    RingVector sum = new RingVector(8, f.laneBits());
    float[] ones = new float[8];
    java.util.Arrays.fill(ones, 0.5f);
    for (LomParty p : parties.subList(0, 3)) {
      sum.add(p.protect(f.encode(ones, 2), "r2", keys));
      assertThat(p.agreedPeers()).isEqualTo(3); // agreed in round 1, reused
    }
    assertThat(f.decodeMean(sum, 3, 6)[0])
        .isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-3f));
  }

  @Test
  void refusesARoundIdUsedBeforeAndAListWithoutItsOwnKey() throws GeneralSecurityException {
    LomParty a = new LomParty(1, "s", random);
    LomParty b = new LomParty(2, "s", random);
    Map<Long, byte[]> keys = Map.of(1L, a.publicKey(), 2L, b.publicKey());
    a.protect(new RingVector(4, 32), "r1", keys);
    assertThatThrownBy(() -> a.protect(new RingVector(4, 32), "r1", keys))
        .hasMessageContaining("already used");
    assertThatThrownBy(() -> a.protect(new RingVector(4, 32), "r2", Map.of(1L, b.publicKey())))
        .hasMessageContaining("own key");
    assertThatThrownBy(
            () ->
                a.protect(new RingVector(4, 32), "r3", Map.of(1L, a.publicKey(), 2L, new byte[32])))
        .hasMessageContaining("low-order");
  }
}
