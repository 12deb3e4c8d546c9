package org.fedlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void quotesEveryControlCharacterSoNoPeerValueReachesTheTerminalRaw() {
    assertThat(Json.quote("a\u001b[2J\"\\\n\t\u007f\u009bz"))
        .isEqualTo("\"a\\u001b[2J\\\"\\\\\\n\\t\\u007f\\u009bz\"");
  }

  @Test
  void buildsObjectsInOrderWithNonFiniteNumbersAsNull() {
    String json =
        Json.object()
            .put("s", "x")
            .put("n", 3L)
            .put("b", true)
            .put("d", Double.NaN)
            .putNumbers("m", Map.of("b", 2.0, "a", 1.5))
            .raw("l", Json.array(List.of("1", "\"two\"")))
            .end();
    assertThat(json)
        .isEqualTo(
            "{\"s\":\"x\",\"n\":3,\"b\":true,\"d\":null,\"m\":{\"a\":1.5,\"b\":2.0},"
                + "\"l\":[1,\"two\"]}");
  }

  @Test
  void prometheusTextIsSummedByNameAndByItsTellingLabel() {
    String text =
        "# HELP x\n"
            + "fedlink_superlink_calls_total{method=\"A\",status=\"OK\"} 3.0\n"
            + "fedlink_superlink_calls_total{method=\"B\",status=\"OK\"} 2.0\n"
            + "fedlink_superlink_calls_total{method=\"B\",status=\"UNAUTHENTICATED\"} 1.0\n"
            + "fedlink_superlink_round_duration_seconds_count 4.0\n"
            + "fedlink_superlink_round_duration_seconds_sum 2.0\n"
            + "fedlink_superlink_round_duration_seconds_max 0.9\n"
            + "fedlink_superlink_nodes_online 2.0\n"
            + "other_metric 7.0\n"
            + "fedlink_superlink_broken not-a-number\n";
    Map<String, Double> m = PrometheusText.summarize(text);
    assertThat(m)
        .containsEntry("calls", 6.0)
        .containsEntry("calls{status=OK}", 5.0)
        .containsEntry("calls{status=UNAUTHENTICATED}", 1.0)
        .containsEntry("round_duration_count", 4.0)
        .containsEntry("round_duration_sum", 2.0)
        .containsEntry("nodes_online", 2.0)
        .doesNotContainKey("round_duration_max")
        .doesNotContainKey("broken");
    assertThat(m.keySet()).noneMatch(k -> k.contains("other"));
  }
}
