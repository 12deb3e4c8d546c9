package org.fedlink.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Feeds arbitrary bytes to {@link OpenSshPublicKey#fromBlob} (as a key blob) and to {@link
 * OpenSshPublicKey#parse} (as a {@code .pub} line): each returns a key or throws {@link
 * KeyFormatException}, and nothing else. Known keys come from a file a peer may have sent.
 */
class OpenSshPublicKeyFuzzTest {
  @FuzzTest
  void parse(byte[] input) {
    try {
      OpenSshPublicKey.fromBlob(input, "fuzz");
    } catch (KeyFormatException expected) {
      // the documented failure
    }
    try {
      OpenSshPublicKey.parse(new String(input, StandardCharsets.UTF_8));
    } catch (KeyFormatException expected) {
      // the documented failure
    }
  }
}
