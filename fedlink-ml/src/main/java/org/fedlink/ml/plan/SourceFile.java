package org.fedlink.ml.plan;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One source file of a training plan, as text: a {@code .java} entry of the plan JAR or a file the
 * researcher sent with an approval request. Its path is a label to show, never a path the node
 * opens or creates. Immutable.
 *
 * @param path the file's path relative to the source root or the JAR, {@code /}-separated
 * @param text its content, decoded as UTF-8
 */
public record SourceFile(String path, String text) {
  public SourceFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
  }

  /** The size of the text in UTF-8 bytes. */
  public long utf8Bytes() {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** {@code bytes} decoded as UTF-8, or null if they are not valid UTF-8. */
  static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
