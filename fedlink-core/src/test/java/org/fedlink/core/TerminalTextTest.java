package org.fedlink.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void plainTextIsUnchanged() {
    assertThat(TerminalText.line("demo/Plan.class é 中")).isEqualTo("demo/Plan.class é 中");
    assertThat(TerminalText.block("a\n\tb\n")).isEqualTo("a\n\tb\n");
  }

  @Test
  void escapeSequencesAndCarriageReturnsBecomeVisible() {
    String hostile = "ok\u001b[2J\u001b]0;owned\u0007\rFAKE\u009b";

    assertThat(TerminalText.line(hostile))
        .isEqualTo("ok\\x1b[2J\\x1b]0;owned\\x07\\x0dFAKE\\x9b")
        .doesNotContain("\u001b", "\r", "\u0007", "\u009b");
    assertThat(TerminalText.block(hostile)).isEqualTo(TerminalText.line(hostile));
  }

  @Test
  void bidiOverridesAndInvisibleCharactersBecomeVisible() {
    String trojan = "if (admin\u202e\u2066) {\u200b}\u2028";

    assertThat(TerminalText.block(trojan))
        .isEqualTo("if (admin<U+202E><U+2066>) {<U+200B>}<U+2028>");
  }

  @Test
  void lineEscapesNewlinesTabsAndBackslashesButBlockKeepsLayout() {
    assertThat(TerminalText.line("a\nb\tc\\d")).isEqualTo("a\\x0ab\\x09c\\\\d");
    assertThat(TerminalText.block("a\nb\tc\\d")).isEqualTo("a\nb\tc\\d");
  }

  @Test
  void unpairedSurrogateIsEscapedAndNullIsADash() {
    assertThat(TerminalText.line("x\ud800y")).isEqualTo("x<U+D800>y");
    assertThat(TerminalText.line(null)).isEqualTo("-");
  }
}
