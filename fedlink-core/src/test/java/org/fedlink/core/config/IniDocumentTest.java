package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;
import org.junit.jupiter.api.Test;

class IniDocumentTest {
  private static final String TEXT =
      "# top comment\n"
          + "[default]\n"
          + "; semicolon comment\n"
          + "ID = NODE_1\n"
          + "component=supernode\n"
          + "\n"
          + "[MPC]\n"
          + "# the port\n"
          + "port = 14000\n"
          + "ip = localhost\n"
          + "\n"
          + "[security]\n"
          + "hashing_algorithm = SHA256   \n";

  @Test
  void readsSectionsAndKeysCaseInsensitively() {
    IniDocument doc = IniDocument.parse(TEXT, "a.ini");

    assertThat(doc.sections()).containsExactly("default", "mpc", "security");
    assertThat(doc.keys("mpc")).containsExactly("port", "ip");
    assertThat(doc.get("default", "id")).contains("NODE_1");
    assertThat(doc.get("DEFAULT", "Component")).contains("supernode");
    assertThat(doc.get("security", "hashing_algorithm")).contains("SHA256");
    assertThat(doc.get("mpc", "missing")).isEmpty();
    assertThat(doc.lineOf("mpc", "port")).isEqualTo(9);
  }

  @Test
  void rendersUnchangedTextByteForByte() {
    assertThat(IniDocument.parse(TEXT, "a.ini").render()).isEqualTo(TEXT);
  }

  @Test
  void rewriteChangesOnlyTheKeyLineKeepingCommentsAndOrder() {
    IniDocument doc = IniDocument.parse(TEXT, "a.ini").with("mpc", "port", "14005");

    assertThat(doc.render()).isEqualTo(TEXT.replace("port = 14000", "port = 14005"));
    assertThat(doc.keys("mpc")).containsExactly("port", "ip");
  }

  @Test
  void addsMissingKeyAfterLastEntryOfItsSectionAndMissingSectionAtEnd() {
    IniDocument doc =
        IniDocument.parse(TEXT, "a.ini")
            .with("mpc", "transport", "relay")
            .with("auth", "timestamp_window_s", "30");

    assertThat(doc.render())
        .isEqualTo(
            TEXT.replace("ip = localhost\n", "ip = localhost\ntransport = relay\n")
                + "\n[auth]\ntimestamp_window_s = 30\n");
  }

  @Test
  void removesAKey() {
    IniDocument doc = IniDocument.parse(TEXT, "a.ini").without("mpc", "IP");

    assertThat(doc.get("mpc", "ip")).isEmpty();
    assertThat(doc.render()).isEqualTo(TEXT.replace("ip = localhost\n", ""));
  }

  @Test
  void acceptsByteOrderMarkAndCrLf() {
    IniDocument doc = IniDocument.parse("\uFEFF[default]\r\nid = X\r\n", "w.ini");

    assertThat(doc.get("default", "id")).contains("X");
  }

  @Test
  void keepsEqualsSignsInsideValues() {
    assertThat(IniDocument.parse("[a]\nk = x=y\n", "a.ini").get("a", "k")).contains("x=y");
  }

  @Test
  void rejectsLineThatIsNotIni() {
    assertThatThrownBy(() -> IniDocument.parse("[default]\nid NODE_1\n", "bad.ini"))
        .isInstanceOf(FedlinkException.class)
        .hasMessage(
            "bad.ini: line 2: 'id NODE_1' is neither a [section] header, a key = value entry nor a"
                + " # comment")
        .extracting(e -> ((FedlinkException) e).code())
        .isEqualTo(ErrorCode.CONFIGURATION);
  }

  @Test
  void rejectsEntryBeforeAnySection() {
    assertThatThrownBy(() -> IniDocument.parse("id = 1\n[default]\n", "bad.ini"))
        .isInstanceOf(FedlinkException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("before any [section]");
  }

  @Test
  void rejectsDuplicateKeyAndSection() {
    assertThatThrownBy(() -> IniDocument.parse("[mpc]\nport = 1\nPORT = 2\n", "d.ini"))
        .hasMessage("d.ini: [mpc] port is set twice (lines 2 and 3); keep one");
    assertThatThrownBy(() -> IniDocument.parse("[mpc]\n[a]\n[mpc]\n", "d.ini"))
        .hasMessage("d.ini: section [mpc] appears twice (lines 1 and 3); merge them");
  }

  @Test
  void refusesMultiLineValues() {
    IniDocument doc = IniDocument.parse(TEXT, "a.ini");

    assertThatThrownBy(() -> doc.with("mpc", "ip", "a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
