package org.fedlink.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.Parameters;
import org.junit.jupiter.api.Test;

class CentralizedTrainingTest {
  private static final Dataset DATA = TestData.blobs(60, 4, 3, 5);
  private static final TrainingArgs ARGS = TrainingArgs.defaults();

  @Test
  void runsRoundsExactlyAsASingleNodeWould() {
    TrainingPlan plan = new MlpPlan();
    Parameters expected = plan.initialize(DataSummary.of(DATA), ARGS);
    for (int round = 0; round < 3; round++) {
      expected = plan.train(expected, DATA, ARGS).parameters();
    }
    assertThat(CentralizedTraining.train(plan, DATA, ARGS, 3)).isEqualTo(expected);
    assertThat(CentralizedTraining.trainAndEvaluate(plan, DATA, DATA, ARGS, 3))
        .isEqualTo(plan.evaluate(expected, DATA));
  }

  @Test
  void rejectsFewerThanOneRound() {
    assertThatThrownBy(() -> CentralizedTraining.train(new MlpPlan(), DATA, ARGS, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds must be at least 1: 0");
  }
}
