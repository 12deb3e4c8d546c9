package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoDefaultsTest {

  @Test
  void coversEveryBundledDataSetWithABuiltinPlan() {
    for (String name : BundledDatasets.names()) {
      DemoDefaults d = DemoDefaults.of(name);
      assertThat(d.dataset()).isEqualTo(name);
      assertThat(BuiltinPlans.ids()).contains(d.planId());
      assertThat(d.rounds()).isBetween(1, 20);
      assertThat(TrainingArgs.fromMap(d.args().toMap())).isEqualTo(d.args());
    }
    assertThat(DemoDefaults.of("digits").plan()).isInstanceOf(MlpPlan.class);
    assertThatThrownBy(() -> DemoDefaults.of("iris")).hasMessageContaining("'iris'");
  }
}
