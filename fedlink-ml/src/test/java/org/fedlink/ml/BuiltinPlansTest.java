package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class BuiltinPlansTest {

  @Test
  void findsPlansById() {
    assertThat(BuiltinPlans.ids()).containsExactly("logistic-regression", "mlp");
    assertThat(BuiltinPlans.get("logistic-regression")).isInstanceOf(LogisticRegressionPlan.class);
    assertThat(BuiltinPlans.get("mlp")).isInstanceOf(MlpPlan.class);
    for (String id : BuiltinPlans.ids()) {
      assertThat(BuiltinPlans.get(id).id()).isEqualTo(id);
    }
  }

  @Test
  void rejectsUnknownIdsListingTheKnownOnes() {
    assertThatThrownBy(() -> BuiltinPlans.get("cnn"))
        .isInstanceOfSatisfying(
            FedlinkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("'cnn'")
        .hasMessageContaining("logistic-regression, mlp");
    assertThatThrownBy(() -> BuiltinPlans.get(null)).isInstanceOf(FedlinkException.class);
  }
}
