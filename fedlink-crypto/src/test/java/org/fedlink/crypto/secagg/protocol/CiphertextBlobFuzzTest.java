package org.fedlink.crypto.secagg.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Feeds arbitrary bytes to {@link CiphertextBlob#fromBytes}, as the SuperLink reads a node's
 * encrypted update: it returns a blob or throws {@link IllegalArgumentException}, and nothing else.
 */
class CiphertextBlobFuzzTest {
  @FuzzTest
  void fromBytes(byte[] input) {
    try {
      CiphertextBlob.fromBytes(input);
    } catch (IllegalArgumentException expected) {
      // the documented failure
    }
  }
}
