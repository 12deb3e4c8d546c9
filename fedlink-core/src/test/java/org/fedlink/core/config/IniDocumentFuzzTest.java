package org.fedlink.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.fedlink.core.ErrorCode;
import org.fedlink.core.FedlinkException;

/**
 * Feeds arbitrary text to {@link IniDocument#parse}: it returns a document or throws {@link
 * FedlinkException} with {@link ErrorCode#CONFIGURATION}, and nothing else.
 */
class IniDocumentFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      IniDocument.parse(text, "fuzz.ini");
    } catch (FedlinkException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
    }
  }
}
