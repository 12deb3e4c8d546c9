package org.fedlink.crypto.secagg.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedlink.crypto.secagg.BitBudget;
import org.fedlink.crypto.secagg.Guard;
import org.junit.jupiter.api.Test;

class ProtocolEncodingTest {
  @Test
  void ciphertextBlobRoundTripsSeededValues() {
    Random r = new Random(11);
    BigInteger[] c = new BigInteger[50];
    for (int i = 0; i < c.length; i++) {
      c[i] = new BigInteger(2048 - r.nextInt(40), r);
    }
    CiphertextBlob b = new CiphertextBlob("s-1", 7, CiphertextBlob.widthFor(1024), c);
    CiphertextBlob back = CiphertextBlob.fromBytes(b.toBytes());
    assertThat(back.session()).isEqualTo("s-1");
    assertThat(back.round()).isEqualTo(7);
    assertThat(back.ciphertexts()).containsExactly(c);
  }

  @Test
  void rejectsTruncatedOrForeignBlobs() {
    byte[] ok =
        new CiphertextBlob("s", 1, 256, new BigInteger[] {BigInteger.TEN, BigInteger.TWO})
            .toBytes();
    assertThatThrownBy(() -> CiphertextBlob.fromBytes(java.util.Arrays.copyOf(ok, ok.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CiphertextBlob.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}))
        .hasMessageContaining("magic");
  }

  @Test
  void participantsRoundTripAndRejectDuplicates() {
    Participants p = new Participants(List.of(3L, -8L), List.of("node-a", "node-b"));
    assertThat(Participants.parse(p.encode())).isEqualTo(p);
    assertThat(p.componentOf(-8)).contains("node-b");
    assertThatThrownBy(() -> new Participants(List.of(1L, 2L), List.of("x", "x")))
        .hasMessageContaining("component id appears twice");
    assertThatThrownBy(() -> Participants.parse("1=a,1=b")).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> new Participants(List.of(1L), List.of("a")))
        .hasMessageContaining("at least 2");
  }

  @Test
  void guardIsDeterministicPerSessionAndRoundAndFitsTheBudget() throws Exception {
    BitBudget budget = BitBudget.of(1024, 3.0, 16, (1L << 20) - 1, 3);
    byte[] seed = new byte[32];
    seed[0] = 1;
    Guard g1 = GuardDerivation.guard(seed, "s", 1, budget);
    assertThat(GuardDerivation.guard(seed, "s", 1, budget)).isEqualTo(g1);
    assertThat(GuardDerivation.guard(seed, "s", 2, budget)).isNotEqualTo(g1);
    assertThat(GuardDerivation.guard(seed, "t", 1, budget)).isNotEqualTo(g1);
    assertThat(g1.fits(budget)).isTrue();
    assertThatThrownBy(() -> GuardDerivation.guard(new byte[16], "s", 1, budget))
        .hasMessageContaining("16 bytes");
  }

  @Test
  void setupParamsRoundTripThroughTaskConfig() {
    SetupParams p =
        new SetupParams(
            "sess",
            "researcher",
            new Participants(List.of(1L, 2L), List.of("n1", "n2")),
            "ab",
            1024,
            3.0,
            16,
            1023,
            10,
            4,
            "relay");
    Map<String, String> c = p.toConfig();
    assertThat(SetupParams.fromConfig(c)).isEqualTo(p);
    c.remove(SecAggKeys.LENGTH);
    assertThatThrownBy(() -> SetupParams.fromConfig(c)).hasMessageContaining(SecAggKeys.LENGTH);
  }
}
