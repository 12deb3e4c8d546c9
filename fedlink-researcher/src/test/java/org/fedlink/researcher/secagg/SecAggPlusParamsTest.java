package org.fedlink.researcher.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.FedlinkException;
import org.fedlink.crypto.masking.SecAggPlusParams;
import org.fedlink.researcher.RoundFailedException;
import org.junit.jupiter.api.Test;

/** The SecAgg+ parameters a round uses, and the scheme choice. */
class SecAggPlusParamsTest {
  @Test
  void automaticThresholdIsTheSmallestSafeOne() {
    SecureAggregation all = SecureAggregation.secAggPlus();
    assertThat(SecAggPlusRounds.params(all, 3, "r")).isEqualTo(new SecAggPlusParams(3, 2));
    assertThat(SecAggPlusRounds.params(all, 5, "r")).isEqualTo(new SecAggPlusParams(5, 3));
    assertThat(SecAggPlusRounds.params(all, 100, "r")).isEqualTo(new SecAggPlusParams(100, 50));
    assertThat(SecAggPlusRounds.params(all.numShares(7), 100, "r"))
        .isEqualTo(new SecAggPlusParams(7, 4));
    // More shares than nodes means all nodes.
    assertThat(SecAggPlusRounds.params(all.numShares(9), 4, "r"))
        .isEqualTo(new SecAggPlusParams(4, 2));
  }

  @Test
  void unsafeOrImpossibleParametersFailTheRoundWithTheRule() {
    assertThatThrownBy(
            () ->
                SecAggPlusRounds.params(
                    SecureAggregation.secAggPlus().numShares(9).reconstructionThreshold(3),
                    20,
                    "round 1/2 train"))
        .isInstanceOf(RoundFailedException.class)
        .hasMessageStartingWith("round 1/2 train failed: SecAgg+ parameters refused")
        .hasMessageContaining("use at least 5");
    assertThatThrownBy(
            () -> SecAggPlusRounds.params(SecureAggregation.secAggPlus().numShares(4), 20, "r"))
        .hasMessageContaining("must be odd");
    assertThatThrownBy(() -> SecAggPlusRounds.params(SecureAggregation.secAggPlus(), 1, "r"))
        .hasMessageContaining("at least 2 nodes");
  }

  @Test
  void schemesAreChosenByName() {
    assertThat(SecureAggregation.of("lom").scheme()).isEqualTo("lom");
    assertThat(SecureAggregation.secAggPlus().toString()).contains("secagg+");
    assertThatThrownBy(() -> SecureAggregation.of("paillier"))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("use one of [joye-libert, lom, secagg+]");
    // LOM and SecAgg+ need no researcher identity; Joye-Libert does.
    SecureAggregation.lom().validate();
    assertThatThrownBy(() -> SecureAggregation.joyeLibert().validate())
        .hasMessageContaining("MPC identity");
  }
}
